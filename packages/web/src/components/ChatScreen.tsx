import { useCallback, useEffect, useState } from 'react';
import type { User } from '@pockychat/protocol';
import { useChatState } from '../state/use-chat-state.ts';
import { RoomView } from './RoomView.tsx';
import { SearchDialog } from './SearchDialog.tsx';
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
      {searching && <SearchDialog me={me} onClose={() => setSearching(false)} onOpened={close} />}
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
