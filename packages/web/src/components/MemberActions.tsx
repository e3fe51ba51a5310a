import { useId, useRef, useState } from 'react';
import type { User } from '@pockychat/protocol';
import type { Member } from '../api/rooms-api.ts';
import { useTeamApi } from '../session/team-context.ts';
import { InlineConfirm } from './InlineConfirm.tsx';

/** What the caller may do in a room: 'owner' or 'admin' name moderators; with 'moderator' they ban and mute. */
export type Authority = 'owner' | 'admin' | 'moderator' | null;

export function authorityOf(me: User, members: readonly Member[]): Authority {
  const role = members.find((m) => m.user.id === me.id)?.role;
  if (role === 'owner') return 'owner';
  if (me.admin) return 'admin';
  return role === 'moderator' ? 'moderator' : null;
}

const MUTES = [
  { minutes: 10, label: '10 min' },
  { minutes: 60, label: '1 hour' },
  { minutes: 24 * 60, label: '1 day' },
] as const;

interface MemberActionsProps {
  room: string;
  member: Member;
  authority: Authority;
  me: User;
  /** Runs a moderation call, reports its outcome and reloads the dialog. */
  act: (what: string, done: string, call: () => Promise<void>) => Promise<void>;
}

/** A member's moderation buttons in the members dialog: moderator, mute for a time, ban (asked first, in the row). */
export function MemberActions({ room, member, authority, me, act }: MemberActionsProps) {
  const { moderation } = useTeamApi();
  const muteId = useId();
  const banRef = useRef<HTMLButtonElement>(null);
  const [askingBan, setAskingBan] = useState(false);
  const { user, role } = member;
  if (!authority || user.id === me.id || role === 'owner') return null;
  // A moderator does not act on another moderator (the server refuses it too).
  if (authority === 'moderator' && role === 'moderator') return null;
  const namesModerators = authority === 'owner' || authority === 'admin';
  return (
    <>
      <span className="member-actions">
        {namesModerators && (
          <button
            type="button"
            className="chip"
            onClick={() =>
              void act(
                role === 'moderator' ? 'remove the moderator' : 'make a moderator',
                role === 'moderator' ? `${user.name} is no longer a moderator.` : `${user.name} is a moderator.`,
                () => moderation.setModerator(room, user.id, role !== 'moderator'),
              )
            }
          >
            {role === 'moderator' ? 'Remove moderator' : 'Make moderator'}
          </button>
        )}
        <label htmlFor={muteId} className="visually-hidden">
          Mute {user.name}
        </label>
        <select
          id={muteId}
          className="chip member-actions__mute"
          value=""
          onChange={(event) => {
            const minutes = Number(event.target.value);
            const choice = MUTES.find((m) => m.minutes === minutes);
            if (choice)
              void act('mute', `${user.name} is muted for ${choice.label}.`, () =>
                moderation.mute(room, user.id, minutes),
              );
          }}
        >
          <option value="">Mute…</option>
          {MUTES.map((m) => (
            <option key={m.minutes} value={m.minutes}>
              {m.label}
            </option>
          ))}
        </select>
        <button
          ref={banRef}
          type="button"
          className="chip chip--danger"
          aria-label={`Ban ${user.name}`}
          aria-expanded={askingBan}
          onClick={() => setAskingBan(true)}
        >
          Ban
        </button>
      </span>
      {askingBan && (
        <InlineConfirm
          className="inline-confirm--row"
          question={`Ban ${user.name} from ${room}? They leave it and cannot join again.`}
          confirmLabel="Ban"
          returnFocus={() => banRef.current}
          onConfirm={() => {
            setAskingBan(false);
            void act('ban', `${user.name} is banned.`, () => moderation.ban(room, user.id));
          }}
          onCancel={() => setAskingBan(false)}
        />
      )}
    </>
  );
}
