import type { User } from '@pockychat/protocol';
import type { AccountChange, NewUser } from '../../chat/model.ts';
import type { UserStore } from '../../chat/ports/user-store.ts';
import { mergeUserRows } from './merge-users.ts';
import { toSelf, toUser, type MemoryTables, type UserRow } from './tables.ts';

/** Users and tokens in memory. */
export class MemoryUserStore implements UserStore {
  readonly #t: MemoryTables;

  constructor(tables: MemoryTables) {
    this.#t = tables;
  }

  async createUser(user: NewUser): Promise<User> {
    if (this.#t.users.has(user.id)) throw new Error(`user ${user.id} exists`);
    const row: UserRow = {
      id: user.id,
      name: user.name,
      kind: user.kind,
      createdAt: user.createdAt,
      email: user.email ?? null,
      passwordHash: user.passwordHash ?? null,
      facebookId: user.facebookId ?? null,
    };
    this.#assertUnique(row);
    this.#t.users.set(row.id, row);
    return toUser(row);
  }

  async findUser(id: string): Promise<User | undefined> {
    const row = this.#t.users.get(id);
    return row && toSelf(row);
  }

  async findUserByEmail(email: string): Promise<{ user: User; passwordHash: string | null } | undefined> {
    const row = this.#find((u) => u.email === email);
    return row && { user: toSelf(row), passwordHash: row.passwordHash };
  }

  async findUserByFacebookId(facebookId: string): Promise<User | undefined> {
    const row = this.#find((u) => u.facebookId === facebookId);
    return row && toSelf(row);
  }

  async upgradeGuest(guestId: string, change: AccountChange): Promise<User> {
    const row = this.#t.users.get(guestId);
    if (row?.kind !== 'guest') throw new Error(`user ${guestId} is not a guest`);
    const upgraded: UserRow = {
      ...row,
      kind: change.kind,
      name: change.name,
      email: change.email ?? null,
      passwordHash: change.passwordHash ?? null,
      facebookId: change.facebookId ?? null,
    };
    this.#assertUnique(upgraded);
    this.#t.users.set(guestId, upgraded);
    return toUser(upgraded);
  }

  async mergeUsers(fromId: string, intoId: string): Promise<void> {
    this.#t.userRow(intoId);
    mergeUserRows(this.#t, fromId, intoId);
  }

  async saveToken(tokenHash: string, userId: string, createdAt: string): Promise<void> {
    this.#t.userRow(userId);
    if (this.#t.tokens.has(tokenHash)) throw new Error('token exists');
    this.#t.tokens.set(tokenHash, { userId, createdAt });
  }

  async findUserByToken(tokenHash: string): Promise<User | undefined> {
    const token = this.#t.tokens.get(tokenHash);
    const row = token && this.#t.users.get(token.userId);
    return row && !row.deactivatedAt ? toSelf(row) : undefined;
  }

  async deleteToken(tokenHash: string): Promise<void> {
    this.#t.tokens.delete(tokenHash);
  }

  async deleteTokensOf(userId: string): Promise<string[]> {
    return this.#t.deleteTokensOf(userId);
  }

  #find(match: (row: UserRow) => boolean): UserRow | undefined {
    for (const row of this.#t.users.values()) if (match(row)) return row;
    return undefined;
  }

  /** The unique email and Facebook id columns. */
  #assertUnique(row: UserRow): void {
    for (const other of this.#t.users.values()) {
      if (other.id === row.id) continue;
      if (row.email !== null && other.email === row.email) throw new Error('a user has this email');
      if (row.facebookId !== null && other.facebookId === row.facebookId)
        throw new Error('a user has this Facebook id');
    }
  }
}
