import { useEffect, useId, useMemo, useState, type FormEvent } from 'react';
import { inviteLinkLimits, type User } from '@pockychat/protocol';
import { useChatSession } from '../session/session-context.ts';
import { inviteCandidates } from '../state/invites.ts';
import { isDirectRoom } from '../state/room-label.ts';
import { useChatState } from '../state/use-chat-state.ts';
import { describeInviteError } from './invite-form.ts';
import { Modal } from './Modal.tsx';

const minOthers = inviteLinkLimits.minGroupDmPeople - 1;
const maxOthers = inviteLinkLimits.maxGroupDmPeople - 1;

/** Pick 2 to 7 people: those seen in the chat and the members of the rooms open, found by name. */
export function GroupPicker({ me, onClose, onStarted }: { me: User; onClose: () => void; onStarted: () => void }) {
  const session = useChatSession();
  const seen = useChatState((s) => s.users);
  const rooms = useChatState((s) => s.rooms);
  const members = useRoomMembers(Object.keys(rooms).filter((room) => !isDirectRoom(room)));
  const people = useMemo(() => inviteCandidates({ ...members, ...seen }, me, new Set()), [members, seen, me]);
  const [query, setQuery] = useState('');
  const [chosen, setChosen] = useState<ReadonlySet<string>>(new Set());
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const id = useId();
  const shown = people.filter((p) => chosen.has(p.id) || p.name.toLowerCase().includes(query.trim().toLowerCase()));
  const ready = chosen.size >= minOthers && chosen.size <= maxOthers;

  const toggle = (userId: string) =>
    setChosen((current) => {
      const next = new Set(current);
      if (!next.delete(userId)) next.add(userId);
      return next;
    });
  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    if (!ready || busy) return;
    setBusy(true);
    setError(null);
    try {
      await session.startGroupMessage([...chosen]);
      onStarted();
    } catch (failure) {
      setError(describeInviteError(failure));
      setBusy(false);
    }
  };

  return (
    <Modal title="New group message" onClose={onClose}>
      <form className="group-picker" noValidate onSubmit={(event) => void onSubmit(event)}>
        <label className="field-label" htmlFor={`${id}-find`}>
          Find people
        </label>
        <input
          id={`${id}-find`}
          className="input"
          autoComplete="off"
          value={query}
          onChange={(event) => setQuery(event.target.value)}
        />
        <fieldset className="group-picker__people">
          <legend className="field-hint">
            Pick {minOthers} to {maxOthers} people ({chosen.size} picked). The group keeps the people it starts with.
          </legend>
          {shown.length === 0 && <p className="field-hint">No one found. People you see in rooms show up here.</p>}
          {shown.map((person) => (
            <label key={person.id} className="group-picker__person">
              <input
                type="checkbox"
                checked={chosen.has(person.id)}
                disabled={!chosen.has(person.id) && chosen.size >= maxOthers}
                onChange={() => toggle(person.id)}
              />
              {person.kind === 'guest' ? `${person.name} (guest)` : person.name}
            </label>
          ))}
        </fieldset>
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        <div className="modal__actions">
          <button type="button" className="chip" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button" disabled={!ready || busy}>
            Start group
          </button>
        </div>
      </form>
    </Modal>
  );
}

/** The members of these rooms, by id: the people one shares rooms with. */
function useRoomMembers(rooms: string[]): Record<string, User> {
  const session = useChatSession();
  const [found, setFound] = useState<Record<string, User>>({});
  const key = rooms.slice(0, 10).join(' ');
  useEffect(() => {
    let live = true;
    for (const room of key.split(' ').filter(Boolean)) {
      session.membership.members(room).then(
        (list) =>
          live && setFound((known) => ({ ...known, ...Object.fromEntries(list.map((m) => [m.user.id, m.user])) })),
        () => undefined,
      );
    }
    return () => {
      live = false;
    };
  }, [session, key]);
  return found;
}
