import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type {} from '@fastify/cookie';

const STATE_COOKIE = 'pocky_oauth_state';

/**
 * passport-oauth2's state store, kept in a short-lived HttpOnly cookie
 * instead of a server session: the state is bound to the browser that
 * started the sign-in (no login CSRF) and any node can check it.
 * Passport hands the store the request only, so the reply is looked up here.
 */
export class CookieStateStore {
  readonly #replies = new WeakMap<FastifyRequest, FastifyReply>();
  readonly #secure: boolean;

  constructor(secureCookies: boolean) {
    this.#secure = secureCookies;
  }

  /** Call in an onRequest hook of the OAuth routes. */
  remember(request: FastifyRequest, reply: FastifyReply): void {
    this.#replies.set(request, reply);
  }

  store(req: FastifyRequest, _meta: unknown, done: (err: Error | null, state?: string) => void): void {
    const state = randomBytes(24).toString('base64url');
    const path = '/auth/facebook';
    this.#replies
      .get(req)
      ?.setCookie(STATE_COOKIE, state, { path, httpOnly: true, sameSite: 'lax', secure: this.#secure, maxAge: 600 });
    done(null, state);
  }

  verify(
    req: FastifyRequest,
    provided: unknown,
    _meta: unknown,
    done: (err: Error | null, ok: boolean, info?: unknown) => void,
  ): void {
    const expected = req.cookies[STATE_COOKIE];
    this.#replies.get(req)?.clearCookie(STATE_COOKIE, { path: '/auth/facebook' });
    const ok = typeof provided === 'string' && typeof expected === 'string' && sameString(provided, expected);
    done(null, ok, ok ? undefined : { message: 'the sign-in state does not match: start again' });
  }
}

function sameString(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
