import { useCallback, useEffect, useState } from 'react';
import type { User } from '@pockychat/protocol';
import type { Member } from '../api/rooms-api.ts';
import { ApiError } from '../api/http-api.ts';
import { useChatSession } from '../session/session-context.ts';
import { Avatar } from './Avatar.tsx';
import { Modal } from './Modal.tsx';
import { PresenceDot } from './PresenceDot.tsx';
import { setPresence } from '../state/presence.ts';
import { useChatStore } from '../state/use-chat-state.ts';

interface MembersDialogProps {
  room: string;
  title: string;
  me: User;
  onClose: () => void;
}

/** Who is in a room; its owner can remove people from here. */
export function MembersDialog({ room, title, me, onClose }: MembersDialogProps) {
  const session = useChatSession();
  const store = useChatStore();
  const [members, setMembers] = useState<Member[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      const loaded = await session.membership.members(room);
      // Statuses as of now; presence frames keep them live while the dialog is open.
      const statuses = Object.fromEntries(loaded.flatMap((m) => (m.status ? [[m.user.id, m.status]] : [])));
      store.update((state) => setPresence(state, statuses));
      setMembers(loaded);
    } catch (failure) {
      setError(failure instanceof ApiError ? failure.message : 'Cannot reach the server.');
    }
  }, [session, store, room]);
  useEffect(() => {
    void load();
  }, [load]);

  const owner = members?.some((m) => m.user.id === me.id && m.role === 'owner') ?? false;
  const remove = async (user: User) => {
    setError(null);
    try {
      await session.membership.remove(room, user.id);
    } catch (failure) {
      setError(
        failure instanceof ApiError ? `Cannot remove ${user.name}: ${failure.message}` : 'Cannot reach the server.',
      );
    }
    await load();
  };

  return (
    <Modal title={`Members of ${title}`} onClose={onClose}>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {members === null ? (
        !error && <p className="form-status">Loading…</p>
      ) : (
        <ul className="member-list" aria-label="Members">
          {members.map(({ user, role, status }) => (
            <li key={user.id} className="member-list__item" data-user-id={user.id}>
              <Avatar user={user} size="sm" />
              <PresenceDot userId={user.id} fallback={status} />
              <span className="member-list__name">
                {user.name}
                {user.id === me.id && ' (you)'}
              </span>
              {role === 'owner' && <span className="member-list__role">Owner</span>}
              {owner && user.id !== me.id && (
                <button
                  type="button"
                  className="chip"
                  onClick={() => void remove(user)}
                  aria-label={`Remove ${user.name}`}
                >
                  Remove
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </Modal>
  );
}
