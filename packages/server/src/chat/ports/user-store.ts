import type { User } from '@pockychat/protocol';
import type { OutboxDelivery } from '../../fanout/fanout.ts';
import type { AccountChange, NewUser } from '../model.ts';

/**
 * The delivery that ends the connections of one token (by its hash), for
 * the outbox: the same function builds what the fan-out publishes after.
 */
export type TokenNotice = (tokenHash: string) => OutboxDelivery;

/** Users and their tokens: what Identity and Accounts need from storage. */
export interface UserStore {
  /** Fails (rejects) when the email or Facebook id is taken. */
  createUser(user: NewUser): Promise<User>;
  findUser(id: string): Promise<User | undefined>;
  findUserByEmail(email: string): Promise<{ user: User; passwordHash: string | null } | undefined>;
  findUserByFacebookId(facebookId: string): Promise<User | undefined>;
  /** Turns a guest into an account in place; fails when the email or Facebook id is taken. */
  upgradeGuest(guestId: string, change: AccountChange): Promise<User>;
  /**
   * Moves everything of user `fromId` (memberships, ownerships, messages,
   * likes, invites, tokens) to `intoId` and deletes `fromId`.
   */
  mergeUsers(fromId: string, intoId: string): Promise<void>;

  saveToken(tokenHash: string, userId: string, createdAt: string): Promise<void>;
  findUserByToken(tokenHash: string): Promise<User | undefined>;
  /** With several nodes, `notice` goes in the outbox in the same transaction. */
  deleteToken(tokenHash: string, notice?: TokenNotice): Promise<void>;
  /**
   * Deletes every token of the user; returns the hashes deleted (their
   * connections are to be closed). With several nodes, the notice of each
   * goes in the outbox in the same transaction.
   */
  deleteTokensOf(userId: string, notice?: TokenNotice): Promise<string[]>;
}

/** The users' directory alone: who exists, by id, email or Facebook id. */
export type UserLookup = Pick<UserStore, 'findUser' | 'findUserByEmail' | 'findUserByFacebookId'>;
