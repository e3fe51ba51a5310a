import { sql, type Kysely } from 'kysely';
import type { AdminRoom, AdminUser, Visibility } from '@pockychat/protocol';
import type { AdminStore, Page, PageRequest } from '../../chat/ports/admin-store.ts';
import type { TokenNotice } from '../../chat/ports/user-store.ts';
import type { SqlOutbox } from '../outbox.ts';
import type { Database } from '../schema.ts';
import { decodeUserKey, encodeUserKey, likePattern } from '../../chat/page-keys.ts';
import { toUser } from './rows.ts';

/** Admins, deactivations, and the admin's lists of users and rooms, over Kysely. */
export class SqlAdminStore implements AdminStore {
  readonly #db: Kysely<Database>;
  readonly #outbox: SqlOutbox | undefined;

  constructor(db: Kysely<Database>, outbox?: SqlOutbox) {
    this.#db = db;
    this.#outbox = outbox;
  }

  async claimFirstAdmin(userId: string): Promise<boolean> {
    return this.#db.transaction().execute(async (trx) => {
      // The primary key makes the claim atomic: a second insert, even a concurrent one, does nothing.
      const claimed = await trx
        .insertInto('first_admin')
        .values({ slot: 1, user_id: userId })
        .onConflict((oc) => oc.column('slot').doNothing())
        .returning('user_id')
        .executeTakeFirst();
      if (!claimed) return false;
      await trx.updateTable('users').set({ admin: 1 }).where('id', '=', userId).execute();
      return true;
    });
  }

  async grantAdminByEmail(emails: readonly string[]): Promise<number> {
    if (emails.length === 0) return 0;
    const result = await this.#db
      .updateTable('users')
      .set({ admin: 1 })
      .where('email', 'in', [...emails])
      .where('admin', '=', 0)
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  async setDeactivated(userId: string, at: string | null): Promise<boolean> {
    const result = await this.#db
      .updateTable('users')
      .set({ deactivated_at: at })
      .where('id', '=', userId)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async deactivate(userId: string, at: string, notice: TokenNotice): Promise<string[] | undefined> {
    return this.#db.transaction().execute(async (trx) => {
      const result = await trx
        .updateTable('users')
        .set({ deactivated_at: at })
        .where('id', '=', userId)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) !== 1) return undefined;
      const rows = await trx.deleteFrom('tokens').where('user_id', '=', userId).returning('token_hash').execute();
      const hashes = rows.map((row) => row.token_hash);
      await this.#outbox?.writeDeliveries(trx, hashes.map(notice));
      return hashes;
    });
  }

  async deactivatedAt(userId: string): Promise<string | null | undefined> {
    const row = await this.#db.selectFrom('users').select('deactivated_at').where('id', '=', userId).executeTakeFirst();
    return row && row.deactivated_at;
  }

  async setPasswordHash(userId: string, passwordHash: string): Promise<boolean> {
    const result = await this.#db
      .updateTable('users')
      .set({ password_hash: passwordHash })
      .where('id', '=', userId)
      .where('kind', '=', 'email')
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async listUsers(q: string | undefined, page: PageRequest): Promise<Page<AdminUser>> {
    let query = this.#db
      .selectFrom('users')
      .select(['id', 'name', 'kind', 'admin', 'email', 'created_at', 'deactivated_at'])
      .orderBy('created_at')
      .orderBy('id')
      .limit(page.limit);
    if (q) {
      const pattern = likePattern(q);
      query = query.where((eb) =>
        eb.or([
          eb(sql`lower(name)`, 'like', sql`${pattern} escape '\\'`),
          eb(sql`lower(email)`, 'like', sql`${pattern} escape '\\'`),
        ]),
      );
    }
    const after = page.after === undefined ? undefined : decodeUserKey(page.after);
    if (after) {
      query = query.where((eb) =>
        eb.or([
          eb('created_at', '>', after.createdAt),
          eb.and([eb('created_at', '=', after.createdAt), eb('id', '>', after.id)]),
        ]),
      );
    }
    const rows = await query.execute();
    const users = rows.map((r): AdminUser => ({
      user: toUser(r.id, r.name, r.kind, r.admin),
      ...(r.email !== null && { email: r.email }),
      createdAt: r.created_at,
      ...(r.deactivated_at !== null && { deactivatedAt: r.deactivated_at }),
    }));
    const last = rows.at(-1);
    return rows.length === page.limit && last
      ? { rows: users, next: encodeUserKey(last.created_at, last.id) }
      : { rows: users };
  }

  async listAllRooms(page: PageRequest): Promise<Page<AdminRoom>> {
    let query = this.#db
      .selectFrom('rooms')
      .leftJoin('users', 'users.id', 'rooms.owner_id')
      .select((eb) => [
        'rooms.name',
        'rooms.visibility',
        'users.id as owner_id',
        'users.name as owner_name',
        'users.kind as owner_kind',
        eb
          .selectFrom('memberships')
          .select(eb.fn.countAll<number>().as('n'))
          .whereRef('memberships.room', '=', 'rooms.name')
          .as('members'),
        // The last message by seq: the (room, seq) index finds it without a scan.
        eb
          .selectFrom('messages')
          .select('messages.date')
          .whereRef('messages.room', '=', 'rooms.name')
          .orderBy('messages.seq', 'desc')
          .limit(1)
          .as('last_activity'),
      ])
      .orderBy('rooms.name')
      .limit(page.limit);
    if (page.after !== undefined) query = query.where('rooms.name', '>', page.after);
    const rows = await query.execute();
    const rooms = rows.map((r): AdminRoom => ({
      name: r.name,
      visibility: r.visibility as Visibility,
      ...(r.owner_id && r.owner_name && r.owner_kind && { owner: toUser(r.owner_id, r.owner_name, r.owner_kind) }),
      members: Number(r.members ?? 0),
      ...(r.last_activity && { lastActivity: r.last_activity }),
    }));
    const last = rows.at(-1);
    return rows.length === page.limit && last ? { rows: rooms, next: last.name } : { rows: rooms };
  }
}
