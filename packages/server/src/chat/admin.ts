import type { AdminRoom, AdminUser, User } from '@pockychat/protocol';
import { ChatError } from './chat-error.ts';
import type { Clock } from './clock.ts';
import { tokenNotice, type Identity } from './identity.ts';
import { decodeUserKey } from './page-keys.ts';
import { hashPassword } from './passwords.ts';
import type { AdminStore, Page } from './ports/admin-store.ts';
import type { UserLookup } from './ports/user-store.ts';

const DEFAULT_PAGE = 50;

/**
 * The server's admins: the first account registered (email or Facebook,
 * never a guest; the store's claim is atomic) and the emails of
 * ADMIN_EMAILS. An admin lists users and rooms, deactivates and
 * reactivates accounts, and sets passwords.
 */
export class Admins {
  readonly #store: AdminStore;
  readonly #users: UserLookup;
  readonly #identity: Identity;
  readonly #clock: Clock;
  readonly #emails: readonly string[];

  constructor(deps: {
    store: AdminStore;
    users: UserLookup;
    identity: Identity;
    clock: Clock;
    /** ADMIN_EMAILS, lower-case. */
    adminEmails: readonly string[];
  }) {
    this.#store = deps.store;
    this.#users = deps.users;
    this.#identity = deps.identity;
    this.#clock = deps.clock;
    this.#emails = deps.adminEmails;
  }

  /** At start: the accounts of ADMIN_EMAILS that exist already become admins. */
  async start(): Promise<void> {
    await this.#store.grantAdminByEmail(this.#emails);
  }

  /** A new account (not a guest): the first one claims the admin role; one of ADMIN_EMAILS gets it. The user as it is now. */
  async accountCreated(user: User, email: string | undefined): Promise<User> {
    if (user.kind === 'guest') return user;
    const claimed = await this.#store.claimFirstAdmin(user.id);
    const listed =
      email !== undefined && (await this.#store.grantAdminByEmail([email].filter((e) => this.#emails.includes(e)))) > 0;
    return claimed || listed ? { ...user, admin: true } : user;
  }

  /** A deactivated account cannot sign in: a clear forbidden (only an admin can have done it). */
  async assertMaySignIn(userId: string): Promise<void> {
    if (await this.#store.deactivatedAt(userId)) {
      throw new ChatError('forbidden', 'this account is deactivated: ask an admin of this server');
    }
  }

  async listUsers(
    actor: User,
    q: string | undefined,
    cursor: string | undefined,
    limit: number | undefined,
  ): Promise<Page<AdminUser>> {
    assertAdmin(actor);
    if (cursor !== undefined && !decodeUserKey(cursor)) throw new ChatError('bad_request', 'not a cursor of this list');
    const needle = q?.trim() || undefined;
    return this.#store.listUsers(needle, {
      ...(cursor !== undefined && { after: cursor }),
      limit: limit ?? DEFAULT_PAGE,
    });
  }

  async listRooms(actor: User, cursor: string | undefined, limit: number | undefined): Promise<Page<AdminRoom>> {
    assertAdmin(actor);
    return this.#store.listAllRooms({ ...(cursor !== undefined && { after: cursor }), limit: limit ?? DEFAULT_PAGE });
  }

  /**
   * The account's tokens end and its connections close, on every node; its
   * messages stay. One transaction deactivates and deletes the tokens (and,
   * with several nodes, records the closings in the outbox), so a node that
   * dies midway leaves no deactivated account with sessions open. An admin
   * cannot deactivate themself (nobody could undo it from the web client if
   * they were the last admin).
   */
  async deactivate(actor: User, userId: string): Promise<void> {
    assertAdmin(actor);
    if (userId === actor.id) throw new ChatError('bad_request', 'you cannot deactivate your own account');
    const notice = tokenNotice();
    const ended = await this.#store.deactivate(userId, new Date(this.#clock.now()).toISOString(), notice);
    if (!ended) throw new ChatError('not_found', 'no such user');
    this.#identity.endConnections(ended, notice);
  }

  async reactivate(actor: User, userId: string): Promise<void> {
    assertAdmin(actor);
    if (!(await this.#store.setDeactivated(userId, null))) throw new ChatError('not_found', 'no such user');
  }

  /** A new password for an email account; every session it had ends (whoever knew the old one is out). */
  async setPassword(actor: User, userId: string, password: string): Promise<void> {
    assertAdmin(actor);
    const user = await this.#users.findUser(userId);
    if (!user) throw new ChatError('not_found', 'no such user');
    if (user.kind !== 'email') throw new ChatError('bad_request', 'only an email account has a password');
    await this.#store.setPasswordHash(userId, await hashPassword(password));
    await this.#identity.revokeAll(userId);
  }
}

export function isAdmin(user: User): boolean {
  return user.admin === true;
}

export function assertAdmin(user: User): void {
  if (!isAdmin(user)) throw new ChatError('forbidden', 'only an admin of this server may do this');
}
