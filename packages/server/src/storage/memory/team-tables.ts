/** The in-memory rows of 0007-team: the first-admin claim, bans, mutes and the audit log. */

export interface BanRow {
  bannedBy: string;
  at: string;
}

export interface MuteRow {
  mutedBy: string;
  until: string;
}

export interface AuditRow {
  id: string;
  room: string;
  at: string;
  actorId: string;
  action: string;
  targetUserId: string | null;
  messageId: string | null;
  detail: string | null;
}

export class TeamTables {
  firstAdmin: string | undefined;
  /** By room, then user id. */
  readonly bans = new Map<string, Map<string, BanRow>>();
  /** By room, then user id. */
  readonly mutes = new Map<string, Map<string, MuteRow>>();
  /** In id order (ids are time-ordered, appended as made). */
  audit: AuditRow[] = [];
}

/** The row map of a room in a by-room table, made if asked to. */
export function roomRows<T>(table: Map<string, Map<string, T>>, room: string): Map<string, T> {
  let rows = table.get(room);
  if (!rows) table.set(room, (rows = new Map<string, T>()));
  return rows;
}

/** A guest merged into an account: the rules of storage/merge-team-rows.ts. */
export function mergeTeamRows(team: TeamTables, from: string, into: string): void {
  for (const bans of team.bans.values()) {
    const moved = bans.get(from);
    if (moved && !bans.has(into)) bans.set(into, moved);
    bans.delete(from);
    for (const ban of bans.values()) if (ban.bannedBy === from) ban.bannedBy = into;
  }
  for (const mutes of team.mutes.values()) {
    const moved = mutes.get(from);
    const kept = mutes.get(into);
    if (moved && (!kept || moved.until > kept.until))
      mutes.set(into, { ...moved, mutedBy: kept?.mutedBy ?? moved.mutedBy });
    mutes.delete(from);
    for (const mute of mutes.values()) if (mute.mutedBy === from) mute.mutedBy = into;
  }
  for (const row of team.audit) {
    if (row.actorId === from) row.actorId = into;
    if (row.targetUserId === from) row.targetUserId = into;
  }
}
