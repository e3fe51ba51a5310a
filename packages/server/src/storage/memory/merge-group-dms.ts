import { participantKey } from '../../chat/link-rules.ts';
import type { MemoryTables } from './tables.ts';

/** The rules of the SQL merge-group-dms.ts: seats and links move; a set that another group has loses its key. */
export function mergeGroupDmRows(t: MemoryTables, from: string, into: string): void {
  for (const link of t.inviteLinks.values()) if (link.createdBy === from) link.createdBy = into;
  for (const [room, row] of t.groupDms) {
    if (!row.participants.delete(from)) continue;
    row.participants.add(into);
    const key = participantKey([...row.participants]);
    const taken = [...t.groupDms].some(([other, o]) => other !== room && o.participantKey === key);
    row.participantKey = taken ? null : key;
  }
}
