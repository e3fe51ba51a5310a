import { createHash } from 'node:crypto';
import type { User } from '@pockychat/protocol';
import type { Fanout } from '../fanout/fanout.ts';
import type { UserStore } from './ports/user-store.ts';
import type { Clock } from './clock.ts';
import { randomId, randomToken } from './ids.ts';

/** Who is who: guests now; accounts plug in here. Tokens are stored only as hashes. */
export class Identity {
  readonly #store: UserStore;
  readonly #clock: Clock;
  readonly #fanout: Fanout;

  constructor(deps: { store: UserStore; clock: Clock; fanout: Fanout }) {
    this.#store = deps.store;
    this.#clock = deps.clock;
    this.#fanout = deps.fanout;
  }

  async createGuest(name: string): Promise<{ user: User; token: string }> {
    const createdAt = new Date(this.#clock.now()).toISOString();
    const user = await this.#store.createUser({ id: randomId(), name, kind: 'guest', createdAt });
    return { user, token: await this.issueToken(user.id) };
  }

  async issueToken(userId: string): Promise<string> {
    const token = randomToken();
    await this.#store.saveToken(hashToken(token), userId, new Date(this.#clock.now()).toISOString());
    return token;
  }

  async authenticate(token: string | undefined): Promise<User | undefined> {
    if (!token || token.length > 200) return undefined;
    return this.#store.findUserByToken(hashToken(token));
  }

  /** Revokes a token, and closes the connections opened with it, on every node. */
  async revoke(token: string): Promise<void> {
    const tokenHash = hashToken(token);
    await this.#store.deleteToken(tokenHash);
    this.#fanout.publish({
      to: 'token',
      tokenHash,
      frame: { type: 'error', code: 'unauthenticated', message: 'signed out' },
    });
  }

  /**
   * Revokes every token of a user: a guest's, when it becomes an account, so
   * that a guest token someone kept does not open the account.
   */
  async revokeAll(userId: string): Promise<void> {
    await this.#store.deleteTokensOf(userId);
  }
}

/** SHA-256 is enough for 256-bit random tokens: there is nothing to brute-force. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
