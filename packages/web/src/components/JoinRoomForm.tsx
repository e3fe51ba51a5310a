import { useId, useState, type FormEvent } from 'react';
import { namedRoomPattern } from '@pockychat/protocol';
import { useChatSession } from '../session/session-context.ts';

/** Join a room by name; a room that does not exist yet is created, public if ticked. */
export function JoinRoomForm({ onJoined }: { onJoined: () => void }) {
  const session = useChatSession();
  const [name, setName] = useState('');
  const [isPublic, setPublic] = useState(true);
  const id = useId();
  // Room names are lower-case on the wire; typing "Dev Team" should still work.
  const room = name.trim().toLowerCase().replace(/\s+/g, '-');
  const valid = namedRoomPattern.test(room);

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (!valid) return;
    session.joinRoom(room, isPublic ? 'public' : 'private');
    setName('');
    onJoined();
  };

  return (
    <form className="join-room" onSubmit={onSubmit}>
      <label htmlFor={`${id}-name`} className="join-room__label">
        Room name
      </label>
      <div className="join-room__row">
        <input
          id={`${id}-name`}
          className="input"
          value={name}
          placeholder="e.g. design"
          maxLength={64}
          autoComplete="off"
          aria-invalid={name.length > 0 && !valid}
          aria-describedby={`${id}-hint`}
          onChange={(event) => setName(event.target.value)}
        />
        <button type="submit" className="button" disabled={!valid}>
          Join
        </button>
      </div>
      <label className="checkbox">
        <input type="checkbox" checked={isPublic} onChange={(event) => setPublic(event.target.checked)} />
        Public (anyone can join, if it is new)
      </label>
      <p id={`${id}-hint`} className="join-room__hint">
        {name.length > 0 && !valid ? 'Letters, digits, - and _ only.' : 'Joins it, or creates it if new.'}
      </p>
    </form>
  );
}
