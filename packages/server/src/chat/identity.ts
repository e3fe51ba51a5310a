import { createHash } from 'node:crypto';
import type { ServerFrame, User } from '@pockychat/protocol';
import type { Fanout } from '../fanout/fanout.ts';
import type { TokenNotice, UserStore } from './ports/user-store.ts';
import type { Clock } from './clock.ts';
import { deliveryId, randomId, randomToken } from './ids.ts';

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

  /**
   * Revokes a token, and closes the connections opened with it, on every
   * node (with several nodes, the store records the closing in the outbox
   * with the deletion: it happens even if this node dies before publishing).
   */
  async revoke(token: string): Promise<void> {
    const tokenHash = hashToken(token);
    const notice = tokenNotice(SIGNED_OUT);
    await this.#store.deleteToken(tokenHash, notice);
    this.#fanout.publish(notice(tokenHash));
  }

  /**
   * Revokes every token of a user, and closes the connections opened with
   * any of them, on every node. `farewell` is what those connections hear.
   */
  async revokeAll(userId: string, farewell: Farewell = SIGNED_OUT): Promise<void> {
    const notice = tokenNotice(farewell);
    this.endConnections(await this.#store.deleteTokensOf(userId, notice), notice);
  }

  /** Publishes the closing of these tokens' connections: `notice` is the one the store recorded them with. */
  endConnections(tokenHashes: readonly string[], notice: TokenNotice): void {
    for (const tokenHash of tokenHashes) this.#fanout.publish(notice(tokenHash));
  }

  /**
   * A guest became an account, in place: its tokens end, so that one someone
   * kept does not open the account, and its connections, which carry the
   * guest's identity, are asked to come back with the account's credentials.
   */
  async guestUpgraded(guestId: string): Promise<void> {
    await this.revokeAll(guestId, SIGNED_IN);
  }

  /**
   * A guest merged into an account (the merge deleted the guest and its
   * tokens): its connections, which carry the guest's identity, are asked to
   * come back with the account's credentials.
   */
  guestMerged(guestId: string): void {
    this.#fanout.publish({ to: 'user', userId: guestId, frame: SIGNED_IN.frame, close: true });
  }
}

/**
 * The deliveries that close the connections of the tokens one act ends: one
 * id for the act, each token's hash added, so that the rows the store writes
 * and the deliveries published after carry the same ids.
 */
export function tokenNotice(farewell: Farewell = SIGNED_OUT): TokenNotice {
  const act = deliveryId();
  return (tokenHash) => ({
    to: 'token',
    id: `${act}.${tokenHash.slice(0, 16)}`,
    tokenHash,
    frame: farewell.frame,
    reconnect: farewell.reconnect,
  });
}

/** What the connections of an ended token hear, and whether they should come back (with other credentials). */
export interface Farewell {
  frame: ServerFrame;
  reconnect: boolean;
}

const SIGNED_OUT: Farewell = {
  frame: { type: 'error', code: 'unauthenticated', message: 'signed out' },
  reconnect: false,
};
const SIGNED_IN: Farewell = { frame: { type: 'reconnect', reason: 'signed in' }, reconnect: true };

/** SHA-256 is enough for 256-bit random tokens: there is nothing to brute-force. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
