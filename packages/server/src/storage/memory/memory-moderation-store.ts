import type { AuditAction, AuditEntry, User } from '@pockychat/protocol';
import type { Page, PageRequest } from '../../chat/ports/admin-store.ts';
import type { ModerationStore, NewAuditEntry } from '../../chat/ports/moderation-store.ts';
import type { MemoryTables } from './tables.ts';
import { roomRows } from './team-tables.ts';

/** The ModerationStore in memory: the rules of sql-moderation-store.ts. */
export class MemoryModerationStore implements ModerationStore {
  readonly #t: MemoryTables;

  constructor(tables: MemoryTables) {
    this.#t = tables;
  }

  async setModerator(room: string, userId: string, moderator: boolean): Promise<boolean> {
    const member = this.#t.memberships.get(room)?.get(userId);
    if (!member || member.role === 'owner') return false;
    member.role = moderator ? 'moderator' : 'member';
    return true;
  }

  async addBan(room: string, userId: string, by: string, at: string): Promise<void> {
    this.#t.roomRow(room);
    this.#t.userRow(userId);
    this.#t.userRow(by);
    const bans = roomRows(this.#t.team.bans, room);
    if (!bans.has(userId)) bans.set(userId, { bannedBy: by, at });
    this.#t.memberships.get(room)?.delete(userId);
    this.#t.invites = this.#t.invites.filter((i) => !(i.room === room && i.userId === userId));
  }

  async removeBan(room: string, userId: string): Promise<boolean> {
    return this.#t.team.bans.get(room)?.delete(userId) ?? false;
  }

  async isBanned(room: string, userId: string): Promise<boolean> {
    return this.#t.team.bans.get(room)?.has(userId) ?? false;
  }

  async bannedRooms(userId: string): Promise<string[]> {
    return [...this.#t.team.bans].filter(([, bans]) => bans.has(userId)).map(([room]) => room);
  }

  async listBans(room: string): Promise<Array<{ user: User; at: string }>> {
    return [...(this.#t.team.bans.get(room) ?? [])]
      .map(([id, ban]) => ({ user: this.#user(id), at: ban.at }))
      .sort((a, b) => compare(a.at, b.at) || compare(a.user.id, b.user.id));
  }

  async setMute(room: string, userId: string, until: string, by: string): Promise<void> {
    this.#t.roomRow(room);
    this.#t.userRow(userId);
    this.#t.userRow(by);
    roomRows(this.#t.team.mutes, room).set(userId, { mutedBy: by, until });
  }

  async removeMute(room: string, userId: string): Promise<boolean> {
    return this.#t.team.mutes.get(room)?.delete(userId) ?? false;
  }

  async listMutes(room: string, now: string): Promise<Array<{ user: User; until: string }>> {
    return [...(this.#t.team.mutes.get(room) ?? [])]
      .filter(([, mute]) => mute.until > now)
      .map(([id, mute]) => ({ user: this.#user(id), until: mute.until }))
      .sort((a, b) => compare(a.until, b.until) || compare(a.user.id, b.user.id));
  }

  async listSilenced(room: string, now: string): Promise<Array<{ userId: string; until: string | null }>> {
    const muted = [...(this.#t.team.mutes.get(room) ?? [])]
      .filter(([, mute]) => mute.until > now)
      .map(([userId, mute]) => ({ userId, until: mute.until }));
    return [...muted, ...[...(this.#t.team.bans.get(room)?.keys() ?? [])].map((userId) => ({ userId, until: null }))];
  }

  async appendAudit(entry: NewAuditEntry): Promise<void> {
    this.#t.roomRow(entry.room);
    this.#t.userRow(entry.actorId);
    if (entry.targetUserId !== undefined) this.#t.userRow(entry.targetUserId);
    if (this.#t.team.audit.some((row) => row.id === entry.id)) throw new Error(`audit entry ${entry.id} exists`);
    this.#t.team.audit.push({
      id: entry.id,
      room: entry.room,
      at: entry.at,
      actorId: entry.actorId,
      action: entry.action,
      targetUserId: entry.targetUserId ?? null,
      messageId: entry.messageId ?? null,
      detail: entry.detail ?? null,
    });
  }

  async listAudit(room: string, page: PageRequest): Promise<Page<AuditEntry>> {
    const rows = this.#t.team.audit
      .filter((r) => r.room === room && (page.after === undefined || r.id < page.after))
      .sort((a, b) => compare(b.id, a.id))
      .slice(0, page.limit);
    const entries = rows.map((r) => {
      const entry: AuditEntry = { id: r.id, at: r.at, actor: this.#user(r.actorId), action: r.action as AuditAction };
      const target = r.targetUserId === null ? undefined : this.#t.user(r.targetUserId);
      if (target) entry.target = target;
      if (r.messageId !== null) entry.messageId = r.messageId;
      if (r.detail !== null) entry.detail = r.detail;
      return entry;
    });
    const last = rows.at(-1);
    return rows.length === page.limit && last ? { rows: entries, next: last.id } : { rows: entries };
  }

  #user(id: string): User {
    const user = this.#t.user(id);
    if (!user) throw new Error(`no user ${id}`);
    return user;
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
