import type { User } from '@pockychat/protocol';
import type { ExternalIdentity, ResetTokenRecord, SignInStore } from '../../chat/ports/sign-in-store.ts';
import type { MemoryTables } from './tables.ts';

const identityKey = (identity: ExternalIdentity) => JSON.stringify([identity.issuer, identity.subject]);

/** Password reset tokens and OpenID Connect identities in memory; rows go with their user, as in SQL. */
export class MemorySignInStore implements SignInStore {
  readonly #t: MemoryTables;
  readonly #resets = new Map<string, ResetTokenRecord>();
  readonly #identities = new Map<string, { userId: string; createdAt: string }>();

  constructor(tables: MemoryTables) {
    this.#t = tables;
  }

  async saveResetToken(record: ResetTokenRecord): Promise<void> {
    this.#t.userRow(record.userId);
    if (this.#resets.has(record.tokenHash)) throw new Error('reset token exists');
    this.#resets.set(record.tokenHash, { ...record });
  }

  async countResetTokensSince(userId: string, since: string): Promise<number> {
    return [...this.#resets.values()].filter((r) => r.userId === userId && r.createdAt >= since).length;
  }

  async resetPassword(tokenHash: string, passwordHash: string, now: string): Promise<string | undefined> {
    const spent = this.#resets.get(tokenHash);
    this.#resets.delete(tokenHash);
    const user = spent && this.#t.users.get(spent.userId);
    if (!spent || !user || spent.expiresAt <= now) return undefined;
    user.passwordHash = passwordHash;
    for (const [hash, record] of this.#resets) if (record.userId === spent.userId) this.#resets.delete(hash);
    return spent.userId;
  }

  async findUserByIdentity(identity: ExternalIdentity): Promise<User | undefined> {
    const link = this.#identities.get(identityKey(identity));
    return link && this.#t.user(link.userId);
  }

  async linkIdentity(identity: ExternalIdentity, userId: string, createdAt: string): Promise<void> {
    this.#t.userRow(userId);
    const key = identityKey(identity);
    if (this.#identities.has(key)) throw new Error('identity taken');
    this.#identities.set(key, { userId, createdAt });
  }
}
