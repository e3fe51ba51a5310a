import type { FastifyReply, FastifyRequest } from 'fastify';
import type {} from '@fastify/cookie';
import type { User } from '@pockychat/protocol';
import { ChatError } from '../chat/chat-error.ts';
import type { Identity } from '../chat/identity.ts';
import { SESSION_COOKIE, tokenOf } from './credentials.ts';

/** The HTTP side of identity: who a request is, and the browser's session cookie. */
export class HttpSession {
  readonly #identity: Identity;
  readonly #secure: boolean;

  constructor(identity: Identity, secureCookies: boolean) {
    this.#identity = identity;
    this.#secure = secureCookies;
  }

  token(request: FastifyRequest): string | undefined {
    return tokenOf(request.raw, (header) => request.server.parseCookie(header));
  }

  async current(request: FastifyRequest): Promise<User | undefined> {
    return this.#identity.authenticate(this.token(request));
  }

  async require(request: FastifyRequest): Promise<User> {
    const user = await this.current(request);
    if (!user) throw new ChatError('unauthenticated', 'sign in first: a session cookie or a Bearer token is needed');
    return user;
  }

  /** HttpOnly (no script reads it), SameSite=Lax (no cross-site POST carries it), Secure under TLS. */
  setCookie(reply: FastifyReply, token: string): void {
    reply.setCookie(SESSION_COOKIE, token, {
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure: this.#secure,
      maxAge: 60 * 60 * 24 * 365,
    });
  }

  /** Revokes the token the request carries and the cookie's, and clears the cookie. */
  async logout(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const token = this.token(request);
    if (token) await this.#identity.revoke(token);
    const cookie = request.cookies[SESSION_COOKIE];
    if (cookie && cookie !== token) await this.#identity.revoke(cookie);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
  }
}
