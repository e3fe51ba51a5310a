import type { AdminRoom, AdminUser } from '@pockychat/protocol';
import type { TokenNotice } from './user-store.ts';

/** A keyset page: rows after `after` (the key of the previous page's last row), at most `limit`. */
export interface PageRequest {
  after?: string;
  limit: number;
}

export interface Page<T> {
  rows: T[];
  /** The key of the last row, when the page is full (more may follow). */
  next?: string;
}

/** The server's admins and the accounts they run: what chat/admin.ts needs from storage. */
export interface AdminStore {
  /**
   * Makes the user the server's first admin if no account claimed that yet,
   * atomically (two first registrations at once: one wins). True if it did.
   */
  claimFirstAdmin(userId: string): Promise<boolean>;
  /** Makes the users with these emails (lower-case) admins; returns how many were not yet. */
  grantAdminByEmail(emails: readonly string[]): Promise<number>;
  /** Sets or clears (null) the user's deactivation; false if there is no such user. */
  setDeactivated(userId: string, at: string | null): Promise<boolean>;
  /**
   * Deactivates the user and deletes its tokens, in one transaction (with
   * several nodes, the notice of each token in the outbox too): the hashes
   * deleted, or undefined if there is no such user.
   */
  deactivate(userId: string, at: string, notice: TokenNotice): Promise<string[] | undefined>;
  /** When the user was deactivated, null if active, undefined if there is no such user. */
  deactivatedAt(userId: string): Promise<string | null | undefined>;
  /** Replaces an email account's password hash; false if there is no such email account. */
  setPasswordHash(userId: string, passwordHash: string): Promise<boolean>;
  /** Non-guest and guest users alike, by creation then id; `q` matches part of a name or email (lower-case). */
  listUsers(q: string | undefined, page: PageRequest): Promise<Page<AdminUser>>;
  /** Every room (direct messages included), by name. */
  listAllRooms(page: PageRequest): Promise<Page<AdminRoom>>;
}
