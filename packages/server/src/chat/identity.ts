import { createHash } from 'node:crypto';
import type { User } from '@pockychat/protocol';
import type { Store } from '../storage/store.ts';
import type { Clock } from './clock.ts';
import { randomId, randomToken } from './ids.ts';

/** Who is who: guests now; accounts plug in here. Tokens are stored only as hashes. */
export class Identity {
  readonly #store: Store;
  readonly #clock: Clock;

  constructor(deps: { store: Store; clock: Clock }) {
    this.#store = deps.store;
    this.#clock = deps.clock;
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

  async revoke(token: string): Promise<void> {
    await this.#store.deleteToken(hashToken(token));
  }
}

/** SHA-256 is enough for 256-bit random tokens: there is nothing to brute-force. */
function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
