import { useEffect } from 'react';
import { useChatSession } from '../session/session-context.ts';
import { discoverableRooms } from '../state/invites.ts';
import { useChatState } from '../state/use-chat-state.ts';

// The directory changes slowly, but it is also how a new DM from someone else shows up.
const REFRESH_MS = 15_000;

/** Public rooms the person has not joined yet, one click away. */
export function PublicRooms({ onJoined }: { onJoined: () => void }) {
  const session = useChatSession();
  const rooms = useChatState((s) => s.rooms);
  const directory = useChatState((s) => s.directory);

  useEffect(() => {
    const refresh = () => void session.refreshDirectory();
    refresh();
    const timer = setInterval(refresh, REFRESH_MS);
    window.addEventListener('focus', refresh);
    return () => {
      clearInterval(timer);
      window.removeEventListener('focus', refresh);
    };
  }, [session]);

  const open = discoverableRooms({ rooms, directory });
  if (open.length === 0) return null;
  return (
    <section className="sidebar__section" aria-labelledby="public-rooms-title">
      <h2 id="public-rooms-title" className="sidebar__heading">
        Public rooms
      </h2>
      <ul className="room-list">
        {open.map((room) => (
          <li key={room.name}>
            <button
              type="button"
              className="room-link room-link--discover"
              onClick={() => {
                session.joinRoom(room.name);
                onJoined();
              }}
            >
              <span className="room-link__hash" aria-hidden="true">
                #
              </span>
              <span className="room-link__name">{room.name}</span>
              <span className="room-link__meta">{memberCount(room.members)}</span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

export function memberCount(members: number): string {
  return `${members} ${members === 1 ? 'member' : 'members'}`;
}
