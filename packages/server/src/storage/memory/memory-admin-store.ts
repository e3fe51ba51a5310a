import type { AdminRoom, AdminUser } from '@pockychat/protocol';
import type { AdminStore, Page, PageRequest } from '../../chat/ports/admin-store.ts';
import type { TokenNotice } from '../../chat/ports/user-store.ts';
import { decodeUserKey, encodeUserKey } from '../../chat/page-keys.ts';
import { toSelf, toUser, type MemoryTables, type UserRow } from './tables.ts';

/** The AdminStore in memory: the rules of sql-admin-store.ts. */
export class MemoryAdminStore implements AdminStore {
  readonly #t: MemoryTables;

  constructor(tables: MemoryTables) {
    this.#t = tables;
  }

  async claimFirstAdmin(userId: string): Promise<boolean> {
    const row = this.#t.userRow(userId);
    if (this.#t.team.firstAdmin !== undefined) return false;
    this.#t.team.firstAdmin = userId;
    row.admin = true;
    return true;
  }

  async grantAdminByEmail(emails: readonly string[]): Promise<number> {
    let granted = 0;
    for (const row of this.#t.users.values()) {
      if (row.email === null || row.admin || !emails.includes(row.email)) continue;
      row.admin = true;
      granted++;
    }
    return granted;
  }

  async setDeactivated(userId: string, at: string | null): Promise<boolean> {
    const row = this.#t.users.get(userId);
    if (!row) return false;
    row.deactivatedAt = at;
    return true;
  }

  /** One node: no outbox, so no notice is kept. */
  async deactivate(userId: string, at: string, _notice: TokenNotice): Promise<string[] | undefined> {
    const row = this.#t.users.get(userId);
    if (!row) return undefined;
    row.deactivatedAt = at;
    return this.#t.deleteTokensOf(userId);
  }

  async deactivatedAt(userId: string): Promise<string | null | undefined> {
    const row = this.#t.users.get(userId);
    return row && (row.deactivatedAt ?? null);
  }

  async setPasswordHash(userId: string, passwordHash: string): Promise<boolean> {
    const row = this.#t.users.get(userId);
    if (row?.kind !== 'email') return false;
    row.passwordHash = passwordHash;
    return true;
  }

  async listUsers(q: string | undefined, page: PageRequest): Promise<Page<AdminUser>> {
    const needle = q?.toLowerCase();
    const after = page.after === undefined ? undefined : decodeUserKey(page.after);
    const rows = [...this.#t.users.values()]
      .filter((u) => !needle || u.name.toLowerCase().includes(needle) || (u.email ?? '').includes(needle))
      .filter((u) => !after || u.createdAt > after.createdAt || (u.createdAt === after.createdAt && u.id > after.id))
      .sort((a, b) => compare(a.createdAt, b.createdAt) || compare(a.id, b.id))
      .slice(0, page.limit);
    const users = rows.map((r) => adminUser(r));
    const last = rows.at(-1);
    return rows.length === page.limit && last
      ? { rows: users, next: encodeUserKey(last.createdAt, last.id) }
      : { rows: users };
  }

  async listAllRooms(page: PageRequest): Promise<Page<AdminRoom>> {
    const rows = [...this.#t.rooms.values()]
      .filter((r) => page.after === undefined || r.name > page.after)
      .sort((a, b) => compare(a.name, b.name))
      .slice(0, page.limit);
    const rooms = rows.map((r): AdminRoom => {
      const owner = r.ownerId === null ? undefined : this.#t.user(r.ownerId);
      const lastMessage = this.#t.roomMessages.get(r.name)?.at(-1);
      return {
        name: r.name,
        visibility: r.visibility,
        ...(owner && { owner }),
        members: this.#t.memberships.get(r.name)?.size ?? 0,
        ...(lastMessage && { lastActivity: lastMessage.date }),
      };
    });
    const last = rows.at(-1);
    return rows.length === page.limit && last ? { rows: rooms, next: last.name } : { rows: rooms };
  }
}

function adminUser(row: UserRow): AdminUser {
  return {
    user: row.admin ? toSelf(row) : toUser(row),
    ...(row.email !== null && { email: row.email }),
    createdAt: row.createdAt,
    ...(row.deactivatedAt && { deactivatedAt: row.deactivatedAt }),
  };
}

/** Code-unit order (SQLite's binary collation, PostgreSQL's "C"). */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
