import type { Kysely } from 'kysely';
import type { User } from '@pockychat/protocol';
import type { ExternalIdentity, ResetTokenRecord, SignInStore } from '../../chat/ports/sign-in-store.ts';
import type { Database } from '../schema.ts';
import { toUser } from './rows.ts';

/** Password reset tokens and OpenID Connect identities over Kysely. */
export class SqlSignInStore implements SignInStore {
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  async saveResetToken(record: ResetTokenRecord): Promise<void> {
    await this.#db
      .insertInto('password_resets')
      .values({
        token_hash: record.tokenHash,
        user_id: record.userId,
        created_at: record.createdAt,
        expires_at: record.expiresAt,
      })
      .execute();
  }

  async countResetTokensSince(userId: string, since: string): Promise<number> {
    const row = await this.#db
      .selectFrom('password_resets')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('user_id', '=', userId)
      .where('created_at', '>=', since)
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  async resetPassword(tokenHash: string, passwordHash: string, now: string): Promise<string | undefined> {
    return this.#db.transaction().execute(async (trx) => {
      // The DELETE is the one-time check: of two uses at once, one deletes the row, the other finds none.
      const spent = await trx
        .deleteFrom('password_resets')
        .where('token_hash', '=', tokenHash)
        .returning(['user_id', 'expires_at'])
        .executeTakeFirst();
      if (!spent || spent.expires_at <= now) return undefined;
      await trx.updateTable('users').set({ password_hash: passwordHash }).where('id', '=', spent.user_id).execute();
      await trx.deleteFrom('password_resets').where('user_id', '=', spent.user_id).execute();
      return spent.user_id;
    });
  }

  async findUserByIdentity(identity: ExternalIdentity): Promise<User | undefined> {
    const row = await this.#db
      .selectFrom('identities')
      .innerJoin('users', 'users.id', 'identities.user_id')
      .select(['users.id', 'users.name', 'users.kind'])
      .where('identities.issuer', '=', identity.issuer)
      .where('identities.subject', '=', identity.subject)
      .executeTakeFirst();
    return row && toUser(row.id, row.name, row.kind);
  }

  async linkIdentity(identity: ExternalIdentity, userId: string, createdAt: string): Promise<void> {
    await this.#db
      .insertInto('identities')
      .values({ issuer: identity.issuer, subject: identity.subject, user_id: userId, created_at: createdAt })
      .execute();
  }
}
