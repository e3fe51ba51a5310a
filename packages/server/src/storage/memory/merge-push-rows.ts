import type { NotificationLevel } from '@pockychat/protocol';
import type { MemoryTables } from './tables.ts';

/** The rules of the SQL merge-push-rows.ts: subscriptions follow, the account's own settings win. */
export function mergePushRows(t: MemoryTables, from: string, into: string): void {
  for (const s of t.pushSubscriptions.values()) if (s.userId === from) s.userId = into;
  const moved = t.notificationLevels.get(from);
  if (moved) {
    let kept = t.notificationLevels.get(into);
    if (!kept) t.notificationLevels.set(into, (kept = new Map<string, NotificationLevel>()));
    for (const [room, level] of moved) if (!kept.has(room)) kept.set(room, level);
    t.notificationLevels.delete(from);
  }
  const preview = t.notificationPreviews.get(from);
  if (preview !== undefined && !t.notificationPreviews.has(into)) t.notificationPreviews.set(into, preview);
  t.notificationPreviews.delete(from);
}

/** A DM room renamed by a merge takes its levels along. */
export function renamePushRoom(t: MemoryTables, name: string, renamed: string): void {
  for (const levels of t.notificationLevels.values()) {
    const level = levels.get(name);
    if (level === undefined) continue;
    levels.delete(name);
    levels.set(renamed, level);
  }
}
