import { useEffect, useRef, useState } from 'react';
import type { User } from '@pockychat/protocol';
import type { RoomState } from '../state/chat-state.ts';
import { isDirectRoom, roomLabel } from '../state/room-label.ts';
import { useChatState } from '../state/use-chat-state.ts';
import { useChatSession } from '../session/session-context.ts';
import { AccountDialog } from './AccountDialog.tsx';
import { Avatar } from './Avatar.tsx';
import { InviteList } from './InviteList.tsx';
import { JoinRoomForm } from './JoinRoomForm.tsx';
import { PublicRooms } from './PublicRooms.tsx';
import { RoomIcon } from './RoomIcon.tsx';

interface SidebarProps {
  me: User;
  open: boolean;
  onNavigate: () => void;
}

export function Sidebar({ me, open, onNavigate }: SidebarProps) {
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

  return (
    <aside id="sidebar" ref={ref} className={open ? 'sidebar sidebar--open' : 'sidebar'} aria-label="Rooms and people">
      <div className="sidebar__brand">
        <Logo />
        <span>pockychat</span>
      </div>
      <nav className="sidebar__nav" aria-label="Your rooms">
        <InviteList onJoined={onNavigate} />
        <RoomSection title="Rooms" rooms={named} onNavigate={onNavigate} />
        {direct.length > 0 && <RoomSection title="Direct messages" rooms={direct} onNavigate={onNavigate} />}
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
        {me.kind === 'guest' && (
          <button type="button" className="chip chip--primary sidebar__upgrade" onClick={() => setAccountOpen(true)}>
            Create account
          </button>
        )}
      </div>
      {accountOpen && <AccountDialog me={me} onClose={() => setAccountOpen(false)} />}
    </aside>
  );
}

function RoomSection({ title, rooms, onNavigate }: { title: string; rooms: RoomState[]; onNavigate: () => void }) {
  const session = useChatSession();
  const active = useChatState((s) => s.activeRoom);
  const me = useChatState((s) => s.me);
  const users = useChatState((s) => s.users);
  const directory = useChatState((s) => s.directory);
  return (
    <section className="sidebar__section">
      <h2 className="sidebar__heading">{title}</h2>
      <ul className="room-list">
        {rooms.map((room) => {
          const direct = isDirectRoom(room.name);
          const label = roomLabel(room.name, me, users);
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
                {isPrivate && <span className="visually-hidden">, private</span>}
                {room.unread > 0 && (
                  <span className="badge">
                    {room.unread}
                    <span className="visually-hidden"> unread</span>
                  </span>
                )}
              </button>
            </li>
          );
        })}
      </ul>
    </section>
  );
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
