import { useChatSession } from '../session/session-context.ts';
import { useChatState } from '../state/use-chat-state.ts';
import { RoomIcon } from './RoomIcon.tsx';

/** Rooms someone invited this person to: Join, or dismiss. */
export function InviteList({ onJoined }: { onJoined: () => void }) {
  const session = useChatSession();
  const invites = useChatState((s) => s.invites);
  const directory = useChatState((s) => s.directory);
  const list = Object.values(invites);
  if (list.length === 0) return null;
  return (
    <section className="sidebar__section" aria-labelledby="invites-title">
      <h2 id="invites-title" className="sidebar__heading">
        Invites
      </h2>
      <ul className="room-list">
        {list.map(({ room, by }) => (
          <li key={room} className="invite">
            <RoomIcon kind={directory[room]?.visibility === 'public' ? 'public' : 'private'} />
            <span className="invite__text">
              <span className="invite__room">{room}</span>
              <span className="invite__by">from {by.name}</span>
            </span>
            <button
              type="button"
              className="chip chip--primary"
              aria-label={`Join ${room}`}
              onClick={() => {
                session.joinRoom(room);
                onJoined();
              }}
            >
              Join
            </button>
            <button
              type="button"
              className="icon-button icon-button--small"
              aria-label={`Dismiss invite to ${room}`}
              onClick={() => session.membership.dismiss(room)}
            >
              ×
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
