import { useCallback, useEffect, useState } from 'react';
import type { User } from '@pockychat/protocol';
import type { Member } from '../api/rooms-api.ts';
import { ApiError } from '../api/http-api.ts';
import { useChatSession } from '../session/session-context.ts';
import { Avatar } from './Avatar.tsx';
import { authorityOf, MemberActions } from './MemberActions.tsx';
import { ModerationPanel } from './ModerationPanel.tsx';
import { describeTeamError } from './team-errors.ts';
import { Modal } from './Modal.tsx';
import { PresenceDot } from './PresenceDot.tsx';
import { setPresence } from '../state/presence.ts';
import { roleChangesIn } from '../state/roles.ts';
import { useChatState, useChatStore } from '../state/use-chat-state.ts';

interface MembersDialogProps {
  room: string;
  title: string;
  me: User;
  onClose: () => void;
}

/** Who is in a room; its owner can remove people from here, and its owner, moderators and admins moderate. */
export function MembersDialog({ room, title, me, onClose }: MembersDialogProps) {
  const session = useChatSession();
  const store = useChatStore();
  const [members, setMembers] = useState<Member[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  // Made or unmade a moderator while the dialog is open: its actions follow (load runs again).
  const roleChanges = useChatState((s) => roleChangesIn(s, room));

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
  }, [load, roleChanges]);

  const owner = members?.some((m) => m.user.id === me.id && m.role === 'owner') ?? false;
  const authority = members ? authorityOf(me, members) : null;
  const act = async (what: string, said: string, call: () => Promise<void>) => {
    setError(null);
    setDone(null);
    try {
      await call();
      setDone(said);
    } catch (failure) {
      setError(describeTeamError(what, failure));
    }
    setVersion((v) => v + 1);
    await load();
  };
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
      <p className="form-status" role="status">
        {done ?? ''}
      </p>
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
              {role === 'moderator' && <span className="member-list__role">Moderator</span>}
              <MemberActions room={room} member={{ user, role }} authority={authority} me={me} act={act} />
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
      {authority && <ModerationPanel room={room} authority={authority} version={version} act={act} />}
    </Modal>
  );
}
