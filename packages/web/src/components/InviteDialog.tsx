import { useEffect, useId, useMemo, useState, type FormEvent } from 'react';
import type { User } from '@pockychat/protocol';
import { useChatSession } from '../session/session-context.ts';
import { inviteCandidates } from '../state/invites.ts';
import { useChatState } from '../state/use-chat-state.ts';
import { describeInviteError, inviteBodyOf, noInvitee, setInviteField, type InviteFields } from './invite-form.ts';
import { Modal } from './Modal.tsx';
import { ShareLinks } from './ShareLinks.tsx';

interface InviteDialogProps {
  room: string;
  title: string;
  me: User;
  onClose: () => void;
}

/** Invite someone to a room: a person seen in the chat, an email address, or a Facebook id. */
export function InviteDialog({ room, title, me, onClose }: InviteDialogProps) {
  const session = useChatSession();
  const users = useChatState((s) => s.users);
  const memberIds = useMemberIds(room);
  const candidates = useMemo(() => inviteCandidates(users, me, memberIds), [users, me, memberIds]);
  const [fields, setFields] = useState<InviteFields>(noInvitee);
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const id = useId();
  const body = inviteBodyOf(fields);

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    if (!body || busy) return;
    const who = fields.userId
      ? (users[fields.userId]?.name ?? 'them')
      : fields.email.trim() || `Facebook id ${fields.facebookId.trim()}`;
    setBusy(true);
    setResult(null);
    try {
      await session.membership.invite(room, body);
      setResult({ ok: true, text: `Invite sent to ${who}.` });
      setFields(noInvitee);
    } catch (error) {
      setResult({ ok: false, text: describeInviteError(error) });
    } finally {
      setBusy(false);
    }
  };
  const field = (name: keyof InviteFields) => ({
    id: `${id}-${name}`,
    value: fields[name],
    onChange: (event: { target: { value: string } }) => setFields(setInviteField(name, event.target.value)),
  });

  return (
    <Modal title={`Invite to ${title}`} onClose={onClose}>
      <ShareLinks room={room} />
      <form className="invite-form" noValidate onSubmit={(event) => void onSubmit(event)}>
        <label htmlFor={`${id}-userId`} className="field-label">
          Invite by name
        </label>
        <select className="input" {...field('userId')} disabled={candidates.length === 0}>
          <option value="">{candidates.length === 0 ? 'No one else seen yet' : 'Pick someone…'}</option>
          {candidates.map((user) => (
            <option key={user.id} value={user.id}>
              {user.kind === 'guest' ? `${user.name} (guest)` : user.name}
            </option>
          ))}
        </select>
        <label htmlFor={`${id}-email`} className="field-label">
          Invite by email
        </label>
        <input className="input" type="email" autoComplete="off" placeholder="bob@example.com" {...field('email')} />
        <label htmlFor={`${id}-facebookId`} className="field-label">
          Invite by Facebook id
        </label>
        <input className="input" autoComplete="off" inputMode="numeric" {...field('facebookId')} />
        <p className="field-hint">Someone without an account yet gets the invite when they first sign in.</p>
        <p className="form-status" role="status">
          {result?.ok ? result.text : ''}
        </p>
        {result?.ok === false && (
          <p className="form-error" role="alert">
            {result.text}
          </p>
        )}
        <div className="modal__actions">
          <button type="button" className="chip" onClick={onClose}>
            Done
          </button>
          <button type="submit" className="button" disabled={!body || busy}>
            Send invite
          </button>
        </div>
      </form>
    </Modal>
  );
}

/** The room's members, not to be offered again; empty until known (the server ignores a member's invite). */
function useMemberIds(room: string): ReadonlySet<string> {
  const session = useChatSession();
  const [ids, setIds] = useState<ReadonlySet<string>>(new Set());
  useEffect(() => {
    let live = true;
    session.membership.members(room).then(
      (members) => live && setIds(new Set(members.map((m) => m.user.id))),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [session, room]);
  return ids;
}
