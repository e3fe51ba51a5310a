import type { Kysely } from 'kysely';
import type { User } from '@pockychat/protocol';
import type { AccountChange, NewUser } from '../../chat/model.ts';
import type { TokenNotice, UserStore } from '../../chat/ports/user-store.ts';
import { mergeUserRows, roomsMergeTouches } from '../merge-users.ts';
import { withDeliveries } from '../outbox.ts';
import type { Database } from '../schema.ts';
import type { SqlDialectOps } from './dialect-ops.ts';
import { toUser } from './rows.ts';

/** Users and tokens over Kysely. */
export class SqlUserStore implements UserStore {
  readonly #db: Kysely<Database>;
  readonly #ops: SqlDialectOps;
  readonly #writesSettled: () => Promise<void>;

  /** `writesSettled` waits for the message writes under way: a merge moves their rows. */
  constructor(db: Kysely<Database>, ops: SqlDialectOps, writesSettled: () => Promise<void>) {
    this.#db = db;
    this.#ops = ops;
    this.#writesSettled = writesSettled;
  }

  async createUser(user: NewUser): Promise<User> {
    await this.#db
      .insertInto('users')
      .values({
        id: user.id,
        name: user.name,
        kind: user.kind,
        created_at: user.createdAt,
        email: user.email ?? null,
        password_hash: user.passwordHash ?? null,
        facebook_id: user.facebookId ?? null,
      })
      .execute();
    return { id: user.id, name: user.name, kind: user.kind };
  }

  async findUserByEmail(email: string): Promise<{ user: User; passwordHash: string | null } | undefined> {
    const row = await this.#db
      .selectFrom('users')
      .select(['id', 'name', 'kind', 'admin', 'password_hash'])
      .where('email', '=', email)
      .executeTakeFirst();
    return row && { user: toUser(row.id, row.name, row.kind, row.admin), passwordHash: row.password_hash };
  }

  async findUserByFacebookId(facebookId: string): Promise<User | undefined> {
    const row = await this.#db
      .selectFrom('users')
      .select(['id', 'name', 'kind', 'admin'])
      .where('facebook_id', '=', facebookId)
      .executeTakeFirst();
    return row && toUser(row.id, row.name, row.kind, row.admin);
  }

  async upgradeGuest(guestId: string, change: AccountChange): Promise<User> {
    const result = await this.#db
      .updateTable('users')
      .set({
        kind: change.kind,
        name: change.name,
        email: change.email ?? null,
        password_hash: change.passwordHash ?? null,
        facebook_id: change.facebookId ?? null,
      })
      .where('id', '=', guestId)
      .where('kind', '=', 'guest')
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) throw new Error(`user ${guestId} is not a guest`);
    return { id: guestId, name: change.name, kind: change.kind };
  }

  async mergeUsers(fromId: string, intoId: string): Promise<void> {
    await this.#writesSettled();
    await this.#db.transaction().execute(async (trx) => {
      // Renaming a DM room touches the rows that reference it: check the keys at commit.
      await this.#ops.deferForeignKeys(trx);
      // A change to a message locks its room, then the message: so must the merge, or the two deadlock.
      const rooms = this.#ops.lockRooms ? await roomsMergeTouches(trx, fromId) : [];
      if (rooms.length > 0) await this.#ops.lockRooms?.(trx, rooms);
      await mergeUserRows(trx, fromId, intoId);
    });
  }

  async findUser(id: string): Promise<User | undefined> {
    const row = await this.#db
      .selectFrom('users')
      .select(['id', 'name', 'kind', 'admin'])
      .where('id', '=', id)
      .executeTakeFirst();
    return row && toUser(row.id, row.name, row.kind, row.admin);
  }

  async saveToken(tokenHash: string, userId: string, createdAt: string): Promise<void> {
    await this.#db
      .insertInto('tokens')
      .values({ token_hash: tokenHash, user_id: userId, created_at: createdAt })
      .execute();
  }

  async findUserByToken(tokenHash: string): Promise<User | undefined> {
    const row = await this.#db
      .selectFrom('tokens')
      .innerJoin('users', 'users.id', 'tokens.user_id')
      .select(['users.id', 'users.name', 'users.kind', 'users.admin'])
      .where('tokens.token_hash', '=', tokenHash)
      // A deactivated account's tokens are deleted too; this covers one issued meanwhile.
      .where('users.deactivated_at', 'is', null)
      .executeTakeFirst();
    return row && toUser(row.id, row.name, row.kind, row.admin);
  }

  async deleteTokensOf(userId: string, notice?: TokenNotice): Promise<string[]> {
    return withDeliveries(this.#db, notice && this.#ops.outbox, async (db) => {
      const rows = await db.deleteFrom('tokens').where('user_id', '=', userId).returning('token_hash').execute();
      const hashes = rows.map((row) => row.token_hash);
      return { result: hashes, deliveries: notice ? hashes.map(notice) : [] };
    });
  }

  async deleteToken(tokenHash: string, notice?: TokenNotice): Promise<void> {
    await withDeliveries(this.#db, notice && this.#ops.outbox, async (db) => {
      await db.deleteFrom('tokens').where('token_hash', '=', tokenHash).execute();
      return { result: undefined, deliveries: notice ? [notice(tokenHash)] : [] };
    });
  }
}
