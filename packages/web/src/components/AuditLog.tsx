import { useEffect, useState } from 'react';
import type { AuditAction } from '@pockychat/protocol';
import type { AuditEntry } from '../api/team-api.ts';
import { useTeamApi } from '../session/team-context.ts';
import { formatFull } from './format-time.ts';
import { describeTeamError } from './team-errors.ts';

/** A room's audit log, newest first, a page at a time (owners and admins). */
export function AuditLog({ room, version }: { room: string; version: number }) {
  const { moderation } = useTeamApi();
  const [entries, setEntries] = useState<AuditEntry[]>([]);
  const [next, setNext] = useState<string | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const [loaded, setLoaded] = useState(false);

  useEffect(() => {
    let live = true;
    moderation.audit(room).then(
      (page) => {
        if (!live) return;
        setEntries(page.rows);
        setNext(page.next);
        setLoaded(true);
      },
      (failure: unknown) => live && setError(describeTeamError('read the audit log', failure)),
    );
    return () => {
      live = false;
    };
  }, [moderation, room, version]);

  const more = async () => {
    if (!next) return;
    try {
      const page = await moderation.audit(room, next);
      setEntries((shown) => [...shown, ...page.rows]);
      setNext(page.next);
    } catch (failure) {
      setError(describeTeamError('read the audit log', failure));
    }
  };

  return (
    <section className="audit-log" aria-label="Audit log">
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {loaded && entries.length === 0 && <p className="form-status">Nothing yet.</p>}
      <ol className="audit-log__list">
        {entries.map((entry) => (
          <li key={entry.id} className="audit-log__entry">
            <time dateTime={entry.at}>{formatFull(new Date(entry.at))}</time> {describe(entry)}
          </li>
        ))}
      </ol>
      {next && (
        <button type="button" className="chip" onClick={() => void more()}>
          Older entries
        </button>
      )}
    </section>
  );
}

const verbs: Record<AuditAction, string> = {
  ban: 'banned',
  unban: 'unbanned',
  mute: 'muted',
  unmute: 'unmuted',
  moderator_added: 'made a moderator:',
  moderator_removed: 'removed as moderator:',
  message_deleted: 'deleted a message by',
};

function describe(entry: AuditEntry): string {
  const target = entry.target?.name ?? 'someone';
  const until = entry.action === 'mute' && entry.detail ? ` until ${formatFull(new Date(entry.detail))}` : '';
  const quote = entry.action === 'message_deleted' && entry.detail ? `: “${entry.detail}”` : '';
  return `${entry.actor.name} ${verbs[entry.action]} ${target}${until}${quote}`;
}
