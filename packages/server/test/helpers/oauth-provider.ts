import { createHmac } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { OAuth2Server } from 'oauth2-mock-server';
import type { Browser } from './browser.ts';

export interface FacebookProfile {
  id: string;
  name: string;
}

export interface FakeFacebook {
  /** The provider's base URL (http://127.0.0.1:<port>). */
  url: string;
  /** The FACEBOOK_* settings that point a pockychat server at this provider. */
  env: Record<string, string>;
  /** Sets who is "at the browser": the next authorize request signs this person in. */
  signInAs(profile: FacebookProfile): void;
  /** How many profile (userinfo) requests were refused for a bad token or proof. */
  readonly refusals: number;
  close(): Promise<void>;
}

const APP_ID = 'test-app-id';
const APP_SECRET = 'test-app-secret';

/**
 * A real OAuth 2 provider on a free port (oauth2-mock-server), answering its
 * profile endpoint in Facebook's shape ({ id, name }). The person signing in
 * follows the flow: authorize picks the profile and issues a code, the token
 * endpoint checks the app's secret and binds the code's profile to the
 * access token, the profile endpoint checks the token and Facebook's
 * appsecret_proof (passport-facebook's enableProof).
 */
export async function startFakeFacebook(): Promise<FakeFacebook> {
  const server = new OAuth2Server();
  await server.issuer.keys.generate('RS256');
  await server.start(0, '127.0.0.1');
  const url = server.issuer.url as string;

  let atTheBrowser: FacebookProfile = { id: '1000', name: 'Fay Book' };
  const profileOfCode = new Map<string, FacebookProfile>();
  const profileOfToken = new Map<string, FacebookProfile>();
  let refusals = 0;

  server.service.on('beforeAuthorizeRedirect', (redirect: { url: URL }, req: IncomingMessage) => {
    const query = new URL(req.url ?? '/', url).searchParams;
    const code = redirect.url.searchParams.get('code');
    if (query.get('client_id') !== APP_ID || !code) {
      redirect.url.searchParams.delete('code');
      redirect.url.searchParams.set('error', 'invalid_client');
      return;
    }
    profileOfCode.set(code, atTheBrowser);
  });

  server.service.on(
    'beforeResponse',
    (response: { body: Record<string, unknown>; statusCode: number }, req: IncomingMessage & { body: any }) => {
      const body = req.body as Record<string, string | undefined>;
      const profile = body.code === undefined ? undefined : profileOfCode.get(body.code);
      if (body.client_id !== APP_ID || body.client_secret !== APP_SECRET || !profile) {
        response.statusCode = 400;
        response.body = { error: { message: 'invalid code or client', type: 'OAuthException' } };
        return;
      }
      // A code is good for one exchange, as at Facebook.
      profileOfCode.delete(body.code as string);
      profileOfToken.set(response.body.access_token as string, profile);
    },
  );

  server.service.on(
    'beforeUserinfo',
    (response: { body: Record<string, unknown>; statusCode: number }, req: IncomingMessage) => {
      const query = new URL(req.url ?? '/', url).searchParams;
      const token = query.get('access_token') ?? req.headers.authorization?.replace(/^Bearer /, '') ?? '';
      const profile = profileOfToken.get(token);
      const proof = createHmac('sha256', APP_SECRET).update(token).digest('hex');
      if (!profile || query.get('appsecret_proof') !== proof) {
        refusals += 1;
        response.statusCode = 400;
        response.body = { error: { message: 'invalid token or proof', type: 'OAuthException' } };
        return;
      }
      response.body = { id: profile.id, name: profile.name };
    },
  );

  return {
    url,
    env: {
      FACEBOOK_APP_ID: APP_ID,
      FACEBOOK_APP_SECRET: APP_SECRET,
      FACEBOOK_AUTHORIZE_URL: `${url}/authorize`,
      FACEBOOK_TOKEN_URL: `${url}/token`,
      FACEBOOK_PROFILE_URL: `${url}/userinfo`,
    },
    signInAs(profile) {
      atTheBrowser = profile;
    },
    get refusals() {
      return refusals;
    },
    close: () => server.stop(),
  };
}

export interface FacebookFlow {
  /** GET /auth/facebook: a redirect to the provider's authorize URL. */
  start: Response;
  /** The provider's answer to authorize: a redirect back to the callback with code and state. */
  authorize: Response;
  /** GET /auth/facebook/callback?code&state as the browser sends it. */
  callback: Response;
}

/**
 * Walks a browser through the whole sign-in, one redirect at a time:
 * pockychat → provider (as `profile`) → pockychat's callback. The caller
 * asserts on each step; `tamper` may rewrite the callback URL first.
 */
export async function facebookSignIn(
  browser: Browser,
  provider: FakeFacebook,
  profile: FacebookProfile,
  options: { returnTo?: string; tamper?: (callback: URL) => void; accept?: string } = {},
): Promise<FacebookFlow> {
  const query = options.returnTo === undefined ? '' : `?return=${encodeURIComponent(options.returnTo)}`;
  const start = await browser.get(`/auth/facebook${query}`);
  const authorizeUrl = start.headers.get('location');
  if (start.status !== 302 || !authorizeUrl) throw new Error(`sign-in did not start: ${start.status}`);
  provider.signInAs(profile);
  const authorize = await browser.get(authorizeUrl);
  const callbackUrl = authorize.headers.get('location');
  if (authorize.status !== 302 || !callbackUrl) throw new Error(`the provider did not redirect: ${authorize.status}`);
  const callback = new URL(callbackUrl);
  options.tamper?.(callback);
  const init = options.accept ? { headers: { accept: options.accept } } : {};
  return { start, authorize, callback: await browser.get(callback.href, init) };
}
