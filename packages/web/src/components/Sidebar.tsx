import { useEffect, useRef, useState } from 'react';
import { dmParticipants, type User } from '@pockychat/protocol';
import type { RoomState } from '../state/chat-state.ts';
import { isDirectRoom, roomLabel } from '../state/room-label.ts';
import { useChatState } from '../state/use-chat-state.ts';
import { useChatSession } from '../session/session-context.ts';
import { AccountDialog, AdminPage } from './lazy-parts.ts';
import { Avatar } from './Avatar.tsx';
import { InviteList } from './InviteList.tsx';
import { LazyBoundary } from './LazyBoundary.tsx';
import { JoinRoomForm } from './JoinRoomForm.tsx';
import { NewGroupMessage } from './NewGroupMessage.tsx';
import { PublicRooms } from './PublicRooms.tsx';
import { PresenceDot } from './PresenceDot.tsx';
import { PushToggle } from './PushToggle.tsx';
import { RoomIcon } from './RoomIcon.tsx';
import { UnreadBadge } from './UnreadBadge.tsx';
import { searchShortcutLabel } from './use-search-shortcut.ts';

interface SidebarProps {
  me: User;
  open: boolean;
  onNavigate: () => void;
  /** Opens the message search. */
  onSearch: () => void;
}

export function Sidebar({ me, open, onNavigate, onSearch }: SidebarProps) {
  const session = useChatSession();
  const ref = useRef<HTMLElement>(null);
  // As a drawer (phones), opening it moves keyboard focus into it.
  useEffect(() => {
    if (open) ref.current?.querySelector<HTMLElement>('.room-link--active, .room-link')?.focus();
  }, [open]);
  const rooms = useChatState((s) => s.rooms);
  const all = Object.values(rooms);
  const named = all.filter((r) => !isDirectRoom(r.name));
  const direct = all.filter((r) => isDirectRoom(r.name));
  const [accountOpen, setAccountOpen] = useState(false);
  const [adminOpen, setAdminOpen] = useState(false);

  return (
    <aside id="sidebar" ref={ref} className={open ? 'sidebar sidebar--open' : 'sidebar'} aria-label="Rooms and people">
      <div className="sidebar__brand">
        <Logo />
        <span>pockychat</span>
      </div>
      <button type="button" className="sidebar__search" onClick={onSearch} aria-keyshortcuts="Control+K Meta+K">
        <svg viewBox="0 0 24 24" width="16" height="16" aria-hidden="true" focusable="false">
          <circle cx="11" cy="11" r="6.5" fill="none" stroke="currentColor" strokeWidth="2" />
          <path d="M16 16l4.5 4.5" stroke="currentColor" strokeWidth="2" strokeLinecap="round" />
        </svg>
        <span>Search messages</span>
        <kbd>{searchShortcutLabel()}</kbd>
      </button>
      <nav className="sidebar__nav" aria-label="Your rooms">
        <InviteList onJoined={onNavigate} />
        <RoomSection title="Rooms" rooms={named} onNavigate={onNavigate} />
        {direct.length > 0 && <RoomSection title="Direct messages" rooms={direct} onNavigate={onNavigate} />}
        <NewGroupMessage me={me} onStarted={onNavigate} />
        <PublicRooms onJoined={onNavigate} />
      </nav>
      <JoinRoomForm onJoined={onNavigate} />
      <div className="sidebar__me">
        <Avatar user={me} size="sm" />
        <span className="sidebar__me-name">
          {me.name}
          <span className="sidebar__me-kind">{kindLabels[me.kind]}</span>
        </span>
        <button type="button" className="chip" onClick={() => void session.signOut()}>
          Sign out
        </button>
        <PushToggle />
        {me.admin && (
          <button type="button" className="chip" onClick={() => setAdminOpen(true)}>
            Admin
          </button>
        )}
        {me.kind === 'guest' && (
          <button type="button" className="chip chip--primary sidebar__upgrade" onClick={() => setAccountOpen(true)}>
            Create account
          </button>
        )}
      </div>
      {accountOpen && (
        <LazyBoundary onClose={() => setAccountOpen(false)}>
          <AccountDialog me={me} onClose={() => setAccountOpen(false)} />
        </LazyBoundary>
      )}
      {adminOpen && (
        <LazyBoundary onClose={() => setAdminOpen(false)}>
          <AdminPage me={me} onClose={() => setAdminOpen(false)} />
        </LazyBoundary>
      )}
    </aside>
  );
}

function RoomSection({ title, rooms, onNavigate }: { title: string; rooms: RoomState[]; onNavigate: () => void }) {
  const session = useChatSession();
  const active = useChatState((s) => s.activeRoom);
  const me = useChatState((s) => s.me);
  const users = useChatState((s) => s.users);
  const directory = useChatState((s) => s.directory);
  const groupDms = useChatState((s) => s.groupDms);
  return (
    <section className="sidebar__section">
      <h2 className="sidebar__heading">{title}</h2>
      <ul className="room-list">
        {rooms.map((room) => {
          const direct = isDirectRoom(room.name);
          const label = roomLabel(room.name, me, users, groupDms);
          const isPrivate = !direct && directory[room.name]?.visibility === 'private';
          return (
            <li key={room.name}>
              <button
                type="button"
                className={room.name === active ? 'room-link room-link--active' : 'room-link'}
                aria-current={room.name === active ? 'page' : undefined}
                onClick={() => {
                  session.showRoom(room.name);
                  onNavigate();
                }}
              >
                <RoomIcon kind={direct ? 'direct' : isPrivate ? 'private' : 'public'} />
                <span className="room-link__name">{label}</span>
                {direct && <DirectPresence room={room.name} myId={me?.id} />}
                {isPrivate && <span className="visually-hidden">, private</span>}
                <UnreadBadge room={room.name} />
              </button>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

/** The dot of the other side of a DM. */
function DirectPresence({ room, myId }: { room: string; myId: string | undefined }) {
  const pair = dmParticipants(room);
  if (!pair) return null;
  return <PresenceDot userId={pair[0] === myId ? pair[1] : pair[0]} />;
}

const kindLabels: Record<User['kind'], string> = {
  guest: 'Guest',
  email: 'Account',
  facebook: 'Facebook account',
  oidc: 'Single sign-on account',
};

export function Logo() {
  return (
    <svg className="logo" viewBox="0 0 32 32" width="28" height="28" aria-hidden="true" focusable="false">
      <rect width="32" height="32" rx="9" fill="currentColor" />
      <path
        d="M9 11.5c0-1.4 1.1-2.5 2.5-2.5h9c1.4 0 2.5 1.1 2.5 2.5v6c0 1.4-1.1 2.5-2.5 2.5H15l-4 3.5V20h0.5C10.1 20 9 18.9 9 17.5z"
        fill="#fff"
      />
    </svg>
  );
}
