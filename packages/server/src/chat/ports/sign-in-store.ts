import type { User } from '@pockychat/protocol';

/** A password reset token as stored: its hash only, whose it is, until when. */
export interface ResetTokenRecord {
  tokenHash: string;
  userId: string;
  createdAt: string;
  /** ISO-8601 (UTC, as toISOString writes it: these compare as strings). */
  expiresAt: string;
}

/** A sign-in at an OpenID Connect provider: the provider's issuer and its subject for the person. */
export interface ExternalIdentity {
  issuer: string;
  subject: string;
}

/** What password resets and OpenID Connect sign-ins need from storage, beside the UserStore. */
export interface SignInStore {
  saveResetToken(record: ResetTokenRecord): Promise<void>;
  /** How many of the user's reset tokens, unspent, were made at `since` or later (any node's). */
  countResetTokensSince(userId: string, since: string): Promise<number>;
  /**
   * Spends a reset token, atomically: the token goes whatever its state (a
   * second use finds nothing), and if it had not expired at `now` the user's
   * password becomes `passwordHash` and the user's other reset tokens go too.
   * Returns the user's id, or undefined for an unknown, used or expired token.
   */
  resetPassword(tokenHash: string, passwordHash: string, now: string): Promise<string | undefined>;

  findUserByIdentity(identity: ExternalIdentity): Promise<User | undefined>;
  /** Fails (rejects) when the identity belongs to a user already. */
  linkIdentity(identity: ExternalIdentity, userId: string, createdAt: string): Promise<void>;
}
