import { limits, type LoginBody, type RegisterBody, type User } from '@pockychat/protocol';
import type { Admins } from './admin.ts';
import { ChatError } from './chat-error.ts';
import type { Clock } from './clock.ts';
import type { Identity } from './identity.ts';
import { randomId } from './ids.ts';
import type { AccountChange } from './model.ts';
import { decoyHash, hashPassword, verifyPassword } from './passwords.ts';
import type { RoomStore } from './ports/room-store.ts';
import type { SignInStore } from './ports/sign-in-store.ts';
import type { UserStore } from './ports/user-store.ts';
import { RateLimiter } from './rate-limiter.ts';

export interface SignedIn {
  user: User;
  token: string;
  /** The guest whose things moved to this account (its connections were asked to reconnect). */
  mergedGuestId?: string;
}

/** Users, and the invites that wait for a new account's email or Facebook id. */
type AccountStore = UserStore &
  Pick<RoomStore, 'claimInvites'> &
  Pick<SignInStore, 'findUserByIdentity' | 'linkIdentity'>;

export interface FacebookProfile {
  id: string;
  name: string;
}

/** Who an OpenID Connect provider says signed in (from its checked ID token and userinfo). */
export interface OidcProfile {
  issuer: string;
  subject: string;
  name: string;
  email?: string;
  /** Only a verified email links to an existing account or is kept. */
  emailVerified: boolean;
}

/**
 * Email, Facebook and OpenID Connect accounts. A sign-in that carries a guest's identity
 * takes the guest along: a new account is the guest itself, upgraded (same
 * id, so every room, membership and message stays); an existing account
 * absorbs the guest's rows.
 */
export class Accounts {
  readonly #store: AccountStore;
  readonly #identity: Identity;
  readonly #clock: Clock;
  readonly #loginsPerEmail: RateLimiter;
  readonly #admins: Admins | undefined;

  /** `admins`: the first account and those of ADMIN_EMAILS become admins; deactivated accounts cannot sign in. */
  constructor(deps: { store: AccountStore; identity: Identity; clock: Clock; admins?: Admins }) {
    this.#store = deps.store;
    this.#admins = deps.admins;
    this.#identity = deps.identity;
    this.#clock = deps.clock;
    this.#loginsPerEmail = new RateLimiter({ limit: 10, windowMs: 15 * 60_000, clock: deps.clock });
  }

  async register(body: RegisterBody, current: User | undefined): Promise<SignedIn> {
    if (await this.#store.findUserByEmail(body.email)) {
      throw new ChatError('bad_request', 'an account with this email exists: log in instead');
    }
    const change = {
      kind: 'email' as const,
      name: body.name,
      email: body.email,
      passwordHash: await hashPassword(body.password),
    };
    const created =
      current?.kind === 'guest'
        ? await this.#upgrade(current.id, change)
        : await this.#store.createUser({ id: randomId(), createdAt: this.#nowIso(), ...change });
    const user = (await this.#admins?.accountCreated(created, body.email)) ?? created;
    await this.#store.claimInvites(user.id, { email: body.email });
    return { user, token: await this.#identity.issueToken(user.id) };
  }

  /** Same answer, and about the same time, for an unknown email and a wrong password. */
  async login(body: LoginBody, current: User | undefined): Promise<SignedIn> {
    if (!this.#loginsPerEmail.take(body.email)) {
      throw new ChatError('rate_limited', 'too many login attempts for this account; try again later');
    }
    const found = await this.#store.findUserByEmail(body.email);
    const ok = await verifyPassword(body.password, found?.passwordHash ?? (await decoyHash));
    if (!found || !found.passwordHash || !ok) throw new ChatError('bad_credentials', 'wrong email or password');
    await this.#admins?.assertMaySignIn(found.user.id);
    return this.#signInAs(found.user, current);
  }

  async facebook(profile: FacebookProfile, current: User | undefined): Promise<SignedIn> {
    const existing = await this.#store.findUserByFacebookId(profile.id);
    if (existing) {
      await this.#admins?.assertMaySignIn(existing.id);
      return this.#signInAs(existing, current);
    }
    const change = { kind: 'facebook' as const, name: displayNameOf(profile.name), facebookId: profile.id };
    const created =
      current?.kind === 'guest'
        ? await this.#upgrade(current.id, change)
        : await this.#store.createUser({ id: randomId(), createdAt: this.#nowIso(), ...change });
    const user = (await this.#admins?.accountCreated(created, undefined)) ?? created;
    await this.#store.claimInvites(user.id, { facebookId: profile.id });
    return { user, token: await this.#identity.issueToken(user.id) };
  }

  /**
   * An OpenID Connect sign-in: the account of this (issuer, subject), else
   * the account of the provider's verified email (now linked to it), else a
   * new account (the guest itself, upgraded, when a guest signs in). An
   * unverified email is neither matched nor kept: anyone may type any email
   * at some providers, and matching it would hand them that account.
   */
  async oidc(profile: OidcProfile, current: User | undefined): Promise<SignedIn> {
    const identity = { issuer: profile.issuer, subject: profile.subject };
    const existing = await this.#store.findUserByIdentity(identity);
    if (existing) {
      await this.#admins?.assertMaySignIn(existing.id);
      return this.#signInAs(existing, current);
    }
    const email = profile.emailVerified ? profile.email?.toLowerCase() : undefined;
    const byEmail = email === undefined ? undefined : await this.#store.findUserByEmail(email);
    if (byEmail) {
      await this.#admins?.assertMaySignIn(byEmail.user.id);
      await this.#store.linkIdentity(identity, byEmail.user.id, this.#nowIso());
      return this.#signInAs(byEmail.user, current);
    }
    const change = { kind: 'oidc' as const, name: displayNameOf(profile.name, 'Single sign-on user'), email };
    const created =
      current?.kind === 'guest'
        ? await this.#upgrade(current.id, change)
        : await this.#store.createUser({ id: randomId(), createdAt: this.#nowIso(), ...change });
    try {
      await this.#store.linkIdentity(identity, created.id, this.#nowIso());
    } catch (err) {
      // Two first sign-ins of one person at once: the other linked first; this one signs in to that
      // account, and the account it made (or the guest it upgraded, with its messages) goes into it.
      const winner = await this.#store.findUserByIdentity(identity);
      if (!winner) throw err;
      await this.#store.mergeUsers(created.id, winner.id);
      this.#identity.guestMerged(created.id);
      const signedIn = await this.#signInAs(winner, undefined);
      return current?.kind === 'guest' ? { ...signedIn, mergedGuestId: created.id } : signedIn;
    }
    const user = (await this.#admins?.accountCreated(created, email)) ?? created;
    if (email) await this.#store.claimInvites(user.id, { email });
    return { user, token: await this.#identity.issueToken(user.id) };
  }

  /** The guest becomes the account; its old tokens and connections end, the caller gets a new token. */
  async #upgrade(guestId: string, change: AccountChange): Promise<User> {
    const user = await this.#store.upgradeGuest(guestId, change);
    await this.#identity.guestUpgraded(guestId);
    return user;
  }

  async #signInAs(user: User, current: User | undefined): Promise<SignedIn> {
    let mergedGuestId: string | undefined;
    if (current?.kind === 'guest' && current.id !== user.id) {
      await this.#store.mergeUsers(current.id, user.id);
      this.#identity.guestMerged(current.id);
      mergedGuestId = current.id;
    }
    const token = await this.#identity.issueToken(user.id);
    return mergedGuestId ? { user, token, mergedGuestId } : { user, token };
  }

  #nowIso(): string {
    return new Date(this.#clock.now()).toISOString();
  }
}

/**
 * The provider's name held to the rules of a display name typed here (see
 * DisplayName): well-formed, no NUL, trimmed, at most maxNameChars code
 * units, cut between characters, never inside a surrogate pair, since a
 * lone half would be stored as U+FFFD and read back as another name.
 */
export function displayNameOf(raw: string, fallback = 'Facebook user'): string {
  let name = '';
  for (const char of raw.replaceAll('\u0000', '').toWellFormed().trim()) {
    if (name.length + char.length > limits.maxNameChars) break;
    name += char;
  }
  return name.trim() || fallback;
}
