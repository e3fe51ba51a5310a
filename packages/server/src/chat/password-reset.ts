import { ChatError } from './chat-error.ts';
import type { Clock } from './clock.ts';
import type { Identity } from './identity.ts';
import { hashToken } from './identity.ts';
import { randomToken } from './ids.ts';
import { hashPassword } from './passwords.ts';
import type { SignInStore } from './ports/sign-in-store.ts';
import type { UserStore } from './ports/user-store.ts';
import { RateLimiter } from './rate-limiter.ts';

/** Sends the mail with the link; the transport behind it (SMTP) is the caller's. */
export interface ResetMailer {
  sendPasswordReset(mail: { to: string; link: string; validMinutes: number }): Promise<void>;
}

export interface PasswordResetDeps {
  store: Pick<UserStore, 'findUserByEmail'> &
    Pick<SignInStore, 'saveResetToken' | 'resetPassword' | 'countResetTokensSince'>;
  identity: Identity;
  clock: Clock;
  mailer: ResetMailer;
  /** The web client's origin: links are <webUrl>/#reset=<token>. */
  webUrl: string;
  ttlMs: number;
  /** A mail that could not go out (logged: the person only sees that no mail came). */
  onMailError: (err: unknown) => void;
}

/** Requests a reset for an email, this many an hour at most, known or not. */
const REQUESTS_PER_EMAIL_AN_HOUR = 5;

/**
 * Password reset by email. A request answers the same whether or not the
 * email has an account (no enumeration), and at once: the lookup, the token
 * and the mail happen after the answer. A token is 256 random bits, stored
 * as its SHA-256 only, good once and until it expires; setting a password
 * ends every other reset token of the user and every session.
 */
export class PasswordReset {
  readonly #deps: PasswordResetDeps;
  readonly #perEmail: RateLimiter;
  readonly #pending = new Set<Promise<void>>();

  constructor(deps: PasswordResetDeps) {
    this.#deps = deps;
    this.#perEmail = new RateLimiter({ limit: REQUESTS_PER_EMAIL_AN_HOUR, windowMs: 60 * 60_000, clock: deps.clock });
  }

  /** Starts the reset; throws only for a rate limit, which says nothing about the account. */
  request(email: string): void {
    if (!this.#perEmail.take(email)) {
      throw new ChatError('rate_limited', 'too many password reset requests for this email; try again later');
    }
    const work = this.#send(email).catch((err: unknown) => this.#deps.onMailError(err));
    this.#pending.add(work);
    void work.finally(() => this.#pending.delete(work));
  }

  /** Sets the password the token was mailed for; the user's sessions end (they sign in with it). */
  async confirm(token: string, password: string): Promise<void> {
    const { store, clock, identity } = this.#deps;
    const passwordHash = await hashPassword(password);
    const userId = await store.resetPassword(hashToken(token), passwordHash, new Date(clock.now()).toISOString());
    if (!userId) {
      throw new ChatError('bad_request', 'this password reset link is invalid, used or expired: ask for a new one');
    }
    await identity.revokeAll(userId);
  }

  /** Resolves when the mails under way have been handed to the mail server (or failed). */
  async idle(): Promise<void> {
    await Promise.all([...this.#pending]);
  }

  async #send(email: string): Promise<void> {
    const { store, clock, mailer, webUrl, ttlMs } = this.#deps;
    const found = await store.findUserByEmail(email);
    // Accounts without a password (Facebook, OpenID Connect) have nothing to reset.
    if (!found?.passwordHash) return;
    const now = clock.now();
    // The request limit above is this node's; the tokens of the last hour are every node's.
    const hourAgo = new Date(now - 60 * 60_000).toISOString();
    if ((await store.countResetTokensSince(found.user.id, hourAgo)) >= REQUESTS_PER_EMAIL_AN_HOUR) return;
    const token = randomToken();
    await store.saveResetToken({
      tokenHash: hashToken(token),
      userId: found.user.id,
      createdAt: new Date(now).toISOString(),
      expiresAt: new Date(now + ttlMs).toISOString(),
    });
    // In the fragment: the browser never sends it, so no access log or Referer holds it.
    const link = `${webUrl}/#reset=${encodeURIComponent(token)}`;
    await mailer.sendPasswordReset({ to: email, link, validMinutes: Math.round(ttlMs / 60_000) });
  }
}
