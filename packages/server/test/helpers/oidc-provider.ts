import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import Provider from 'oidc-provider';
import type { Browser } from './browser.ts';

/** Who signs in at the provider: the claims it gives for them. */
export interface OidcPerson {
  sub: string;
  name?: string;
  email?: string;
  email_verified?: boolean;
}

export interface TestOidcProvider {
  issuer: string;
  /** The OIDC_* settings that point a pockychat server at this provider. */
  env: Record<string, string>;
  /** Registers the client with its redirect URI (known once the pockychat server listens) and starts answering. */
  register(redirectUri: string): void;
  /** Who is "at the browser": the next login at the provider is this person. */
  signInAs(person: OidcPerson): void;
  /** Authorization requests seen, as their query parameters. */
  readonly authorizations: URLSearchParams[];
  close(): Promise<void>;
}

const CLIENT_ID = 'pockychat-test';
const CLIENT_SECRET = 'pockychat-test-secret';

/**
 * A real OpenID Connect provider (oidc-provider, the certified one) on a
 * free port, with one confidential client that must use PKCE. Its login and
 * consent pages are replaced by an interaction that signs in whoever
 * signInAs names and grants what the client asked, so a test walks the real
 * redirects, cookies, code grant and signed ID token without HTML forms.
 */
export async function startOidcProvider(): Promise<TestOidcProvider> {
  let provider: Provider | undefined;
  let atTheBrowser: OidcPerson = { sub: 'nobody' };
  const people = new Map<string, OidcPerson>();
  const authorizations: URLSearchParams[] = [];
  const http = createServer((req, res) => {
    if (!provider) return void res.writeHead(503).end();
    if (req.url?.startsWith('/auth?')) authorizations.push(new URL(req.url, 'http://x').searchParams);
    if (req.url?.startsWith('/interaction/')) return void interact(provider, req, res, () => atTheBrowser);
    provider.callback()(req, res);
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const address = http.address();
  const issuer = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;

  return {
    issuer,
    env: { OIDC_ISSUER: issuer, OIDC_CLIENT_ID: CLIENT_ID, OIDC_CLIENT_SECRET: CLIENT_SECRET, OIDC_NAME: 'Test SSO' },
    authorizations,
    register(redirectUri) {
      provider = new Provider(issuer, {
        clients: [
          {
            client_id: CLIENT_ID,
            client_secret: CLIENT_SECRET,
            redirect_uris: [redirectUri],
            response_types: ['code'],
            grant_types: ['authorization_code'],
            token_endpoint_auth_method: 'client_secret_basic',
          },
        ],
        pkce: { required: () => true },
        features: { devInteractions: { enabled: false } },
        interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
        claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
        cookies: { keys: ['test-cookie-key'] },
        findAccount: async (_ctx: unknown, sub: string) => {
          const person = people.get(sub);
          return person && { accountId: sub, claims: async () => ({ ...person }) };
        },
      });
    },
    signInAs(person) {
      atTheBrowser = person;
      people.set(person.sub, person);
    },
    async close() {
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}

/** The provider's login and consent, done at once for `person`. */
async function interact(
  provider: Provider,
  req: IncomingMessage,
  res: ServerResponse,
  person: () => OidcPerson,
): Promise<void> {
  try {
    const details = await provider.interactionDetails(req, res);
    if (details.prompt.name === 'login') {
      await provider.interactionFinished(
        req,
        res,
        { login: { accountId: person().sub } },
        { mergeWithLastSubmission: false },
      );
      return;
    }
    const grant = new provider.Grant({ accountId: details.session?.accountId ?? '', clientId: CLIENT_ID });
    const missing = details.prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[] };
    if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
    if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
    const grantId = await grant.save();
    await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
  } catch (err) {
    res.writeHead(500).end(String(err));
  }
}

export interface OidcFlow {
  /** GET /auth/oidc: a redirect to the provider. */
  start: Response;
  /** The provider's last answer: a redirect back to the callback. */
  back: Response;
  /** GET /auth/oidc/callback as the browser sends it. */
  callback: Response;
}

/**
 * Walks a browser (one cookie jar for pockychat, one for the provider)
 * through the sign-in: pockychat → provider (its redirects, as `person`) →
 * pockychat's callback. `tamper` may rewrite the callback URL first.
 */
export async function oidcSignIn(
  app: Browser,
  idp: Browser,
  provider: TestOidcProvider,
  person: OidcPerson,
  options: { returnTo?: string; tamper?: (callback: URL) => void; accept?: string } = {},
): Promise<OidcFlow> {
  const query = options.returnTo === undefined ? '' : `?return=${encodeURIComponent(options.returnTo)}`;
  const start = await app.get(`/auth/oidc${query}`);
  let location = start.headers.get('location');
  if (start.status !== 302 || !location) throw new Error(`sign-in did not start: ${start.status}`);
  provider.signInAs(person);
  let back = start;
  for (let hops = 0; new URL(location, idp.origin).origin === idp.origin; hops++) {
    if (hops > 10) throw new Error('the provider redirects in a loop');
    back = await idp.get(new URL(location, idp.origin).href);
    const next = back.headers.get('location');
    if (back.status < 300 || back.status > 399 || !next) {
      throw new Error(`the provider answered ${back.status}: ${await back.text()}`);
    }
    location = next;
  }
  const callback = new URL(location, app.origin);
  options.tamper?.(callback);
  const init = options.accept ? { headers: { accept: options.accept } } : {};
  return { start, back, callback: await app.get(callback.href, init) };
}
