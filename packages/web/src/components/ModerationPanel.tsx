import { useEffect, useState } from 'react';
import type { ModerationAnswer } from '@pockychat/protocol';
import { useTeamApi } from '../session/team-context.ts';
import { AuditLog } from './AuditLog.tsx';
import type { Authority } from './MemberActions.tsx';
import { describeTeamError } from './team-errors.ts';

interface ModerationPanelProps {
  room: string;
  authority: Exclude<Authority, null>;
  /** Changes when the dialog reloads (after an act): the lists are read again. */
  version: number;
  act: (what: string, done: string, call: () => Promise<void>) => Promise<void>;
}

/** Below the members: who is banned or muted (with Unban, Unmute), and the audit log for owners and admins. */
export function ModerationPanel({ room, authority, version, act }: ModerationPanelProps) {
  const { moderation } = useTeamApi();
  const [state, setState] = useState<ModerationAnswer | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [auditOpen, setAuditOpen] = useState(false);

  useEffect(() => {
    let live = true;
    moderation.state(room).then(
      (next) => live && setState(next),
      (failure: unknown) => live && setError(describeTeamError('read the bans', failure)),
    );
    return () => {
      live = false;
    };
  }, [moderation, room, version]);

  return (
    <section className="moderation-panel" aria-label="Moderation">
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {state && state.bans.length > 0 && (
        <>
          <h3 className="moderation-panel__heading">Banned</h3>
          <ul className="member-list" aria-label="Banned">
            {state.bans.map(({ user }) => (
              <li key={user.id} className="member-list__item">
                <span className="member-list__name">{user.name}</span>
                <button
                  type="button"
                  className="chip"
                  onClick={() =>
                    void act('unban', `${user.name} may join again.`, () => moderation.unban(room, user.id))
                  }
                >
                  Unban
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
      {state && state.mutes.length > 0 && (
        <>
          <h3 className="moderation-panel__heading">Muted</h3>
          <ul className="member-list" aria-label="Muted">
            {state.mutes.map(({ user, until }) => (
              <li key={user.id} className="member-list__item">
                <span className="member-list__name">{user.name}</span>
                <span className="field-hint">until {new Date(until).toLocaleString()}</span>
                <button
                  type="button"
                  className="chip"
                  onClick={() =>
                    void act('unmute', `${user.name} may speak again.`, () => moderation.unmute(room, user.id))
                  }
                >
                  Unmute
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
      {authority !== 'moderator' && (
        <button type="button" className="chip" aria-expanded={auditOpen} onClick={() => setAuditOpen((o) => !o)}>
          {auditOpen ? 'Hide audit log' : 'Audit log'}
        </button>
      )}
      {auditOpen && <AuditLog room={room} version={version} />}
    </section>
  );
}
