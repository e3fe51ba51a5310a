import type { FastifyInstance, FastifyRequest } from 'fastify';
import type {} from '@fastify/cookie';
import type { Accounts } from '../chat/accounts.ts';
import { ChatError } from '../chat/chat-error.ts';
import type { OidcClient, OidcPending } from './oidc-client.ts';
import { isAllowedOrigin } from './origin.ts';
import type { HttpSession } from './session.ts';
import { backToClient, refusedSignIn } from './sign-in-failure.ts';

export interface OidcRouteDeps {
  /** Undefined when OIDC_ISSUER is not set: the routes answer 404. */
  client: OidcClient | undefined;
  accounts: Accounts;
  session: HttpSession;
  allowedOrigins: readonly string[];
  publicUrl: string | undefined;
  secureCookies: boolean;
  signInsPerMinute: number;
}

const COOKIE = 'pocky_oidc';
const COOKIE_PATH = '/auth/oidc';

/** What the cookie holds: the PKCE verifier, state and nonce, and where a web client on another origin waits. */
interface Saved extends OidcPending {
  back?: string;
}

/**
 * GET /auth/oidc starts an OpenID Connect sign-in, GET /auth/oidc/callback
 * ends it. openid-client is used directly: Passport's strategies for it
 * want a server session to keep the state, nonce and PKCE verifier, which
 * here live in a short-lived HttpOnly cookie on /auth/oidc, as the OAuth
 * state does (oauth-state.ts): bound to the browser that started (no login
 * CSRF), readable by any node. A failure goes back to the web client with
 * ?signin_error=<what happened>.
 */
export function registerOidcRoutes(app: FastifyInstance, deps: OidcRouteDeps): void {
  const config = { rateLimit: { max: deps.signInsPerMinute, timeWindow: '1 minute' } };
  const { client } = deps;
  if (!client) {
    const notConfigured = async () => {
      throw new ChatError('not_found', 'OpenID Connect sign-in is not configured on this server');
    };
    app.get('/auth/oidc', notConfigured);
    app.get('/auth/oidc/callback', notConfigured);
    return;
  }
  const redirectUri = (request: FastifyRequest) =>
    `${deps.publicUrl ?? `${request.protocol}://${request.host}`}/auth/oidc/callback`;

  app.get('/auth/oidc', { config }, async (request, reply) => {
    const back = allowedReturn(deps, (request.query as { return?: unknown }).return);
    let started;
    try {
      started = await client.start(redirectUri(request));
    } catch (err) {
      request.log.warn({ err: (err as Error).message }, 'OpenID Connect discovery failed');
      return backToClient(reply, back, 'the sign-in provider cannot be reached: try again later');
    }
    const saved: Saved = { ...started.pending, ...(back && { back }) };
    reply.setCookie(COOKIE, Buffer.from(JSON.stringify(saved)).toString('base64url'), {
      path: COOKIE_PATH,
      httpOnly: true,
      sameSite: 'lax',
      secure: deps.secureCookies,
      maxAge: 600,
    });
    return reply.redirect(started.url);
  });

  app.get('/auth/oidc/callback', { config }, async (request, reply) => {
    const saved = readSaved(request.cookies[COOKIE]);
    // Spent whatever happens next: a state is good for one callback.
    reply.clearCookie(COOKIE, { path: COOKIE_PATH });
    const back = saved && allowedReturn(deps, saved.back);
    if (!saved) return backToClient(reply, back, 'the sign-in expired or began in another browser: start again');
    const query = request.query as Record<string, unknown>;
    if (typeof query.error === 'string') {
      const why = query.error === 'access_denied' ? 'the sign-in was cancelled' : `the provider said ${query.error}`;
      return backToClient(reply, back, `${why}: start again`);
    }
    if (query.state !== saved.state) return backToClient(reply, back, 'the sign-in state does not match: start again');
    const search = request.raw.url?.slice(request.raw.url.indexOf('?')) ?? '';
    let profile;
    try {
      profile = await client.finish(new URL(`${redirectUri(request)}${search}`), saved);
    } catch (err) {
      request.log.warn({ err: (err as Error).message }, 'OpenID Connect sign-in refused');
      return backToClient(reply, back, 'the provider’s answer did not check out: start again');
    }
    let result;
    try {
      result = await deps.accounts.oidc(profile, await deps.session.current(request));
    } catch (err) {
      // A deactivated account: a browser is shown why, on the client's page.
      return refusedSignIn(request, reply, back, err);
    }
    deps.session.setCookie(reply, result.token);
    request.log.info({ user: result.user.id, kind: result.user.kind, merged: result.mergedGuestId }, 'signed in');
    const crossOrigin = back && !isAllowedOrigin(back, request.headers.host, []);
    return reply.redirect(crossOrigin ? `${back}/#access_token=${encodeURIComponent(result.token)}` : '/');
  });
}

function allowedReturn(deps: OidcRouteDeps, back: unknown): string | undefined {
  return typeof back === 'string' && deps.allowedOrigins.includes(back) ? back : undefined;
}

function readSaved(cookie: string | undefined): Saved | undefined {
  if (!cookie || cookie.length > 2000) return undefined;
  try {
    const value = JSON.parse(Buffer.from(cookie, 'base64url').toString('utf8')) as Partial<Saved>;
    const ok = [value.state, value.nonce, value.verifier].every((v) => typeof v === 'string' && v.length >= 16);
    return ok ? (value as Saved) : undefined;
  } catch {
    return undefined;
  }
}
