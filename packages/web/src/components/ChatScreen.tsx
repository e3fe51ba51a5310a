import { useCallback, useEffect, useState } from 'react';
import type { User } from '@pockychat/protocol';
import { useChatState } from '../state/use-chat-state.ts';
import { RoomView } from './RoomView.tsx';
import { LazyBoundary } from './LazyBoundary.tsx';
import { whenIdle } from './lazy-part.ts';
import { SearchDialog } from './lazy-parts.ts';
import { Sidebar } from './Sidebar.tsx';
import { useUnreadTitle } from './use-unread-title.ts';
import { useSearchShortcut } from './use-search-shortcut.ts';

/** Sidebar and the open room; on a phone the sidebar is a drawer over the room. */
export function ChatScreen({ me }: { me: User }) {
  const [sidebarOpen, setSidebarOpen] = useState(false);
  const room = useChatState((s) => (s.activeRoom ? s.rooms[s.activeRoom] : undefined));
  const close = () => setSidebarOpen(false);
  useUnreadTitle();
  const [searching, setSearching] = useState(false);
  const openSearch = useCallback(() => setSearching(true), []);
  useSearchShortcut(openSearch);
  // Fetched once the chat is up, so that Ctrl/Cmd+K shows the dialog before the next key press.
  useEffect(() => whenIdle(() => void SearchDialog.preload().catch(() => undefined)), []);

  useEffect(() => {
    if (!sidebarOpen) return undefined;
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') setSidebarOpen(false);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [sidebarOpen]);

  return (
    <div className="app">
      <Sidebar me={me} open={sidebarOpen} onNavigate={close} onSearch={openSearch} />
      {searching && (
        <LazyBoundary onClose={() => setSearching(false)}>
          <SearchDialog me={me} onClose={() => setSearching(false)} onOpened={close} />
        </LazyBoundary>
      )}
      {sidebarOpen && <div className="scrim" aria-hidden="true" onClick={close} />}
      {room ? (
        <RoomView room={room} me={me} sidebarOpen={sidebarOpen} onToggleSidebar={() => setSidebarOpen((o) => !o)} />
      ) : (
        <main className="room room--empty">
          <p>Pick a room, or join one by name.</p>
        </main>
      )}
    </div>
  );
}
