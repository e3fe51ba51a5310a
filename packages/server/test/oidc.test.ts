import assert from 'node:assert/strict';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { after, before, describe, test } from 'node:test';
import { Browser, cookieAttributes, cookiePair } from './helpers/browser.ts';
import { ChatClient, api } from './helpers/clients.ts';
import { oidcSignIn, startOidcProvider, type TestOidcProvider } from './helpers/oidc-provider.ts';
import { startTestServer, type TestServer } from './helpers/test-server.ts';

const APP_ORIGIN = 'http://app.example.test';

async function me(browser: Browser): Promise<{ status: number; body: any }> {
  const response = await browser.get('/me');
  return { status: response.status, body: await response.json() };
}

/** Where a failed sign-in sent the browser back, and the error it carries. */
function signInError(response: Response): string | null {
  assert.equal(response.status, 302);
  return new URL(response.headers.get('location') as string, 'http://x').searchParams.get('signin_error');
}

let subs = 0;
const nextSub = () => `sub-${++subs}`;

describe('OpenID Connect sign-in against a real local provider (oidc-provider)', () => {
  let provider: TestOidcProvider;
  let server: TestServer;
  const browsers = () => [new Browser(server.url), new Browser(provider.issuer)] as const;
  before(async () => {
    provider = await startOidcProvider();
    server = await startTestServer({ env: { ...provider.env, ALLOWED_ORIGINS: APP_ORIGIN, AUTH_RATE_LIMIT: '1000' } });
    provider.register(`${server.url}/auth/oidc/callback`);
  });
  after(async () => {
    await server.close();
    await provider.close();
  });

  test('O1 the whole flow with PKCE, state and nonce; signing in again is the same account', async () => {
    const [app, idp] = browsers();
    const person = { sub: nextSub(), name: 'Olga Idp', email: 'olga@example.test', email_verified: true };
    const flow = await oidcSignIn(app, idp, provider, person);

    const authorize = new URL(flow.start.headers.get('location') as string);
    assert.equal(authorize.origin, provider.issuer);
    assert.equal(authorize.searchParams.get('client_id'), provider.env.OIDC_CLIENT_ID);
    assert.equal(authorize.searchParams.get('redirect_uri'), `${server.url}/auth/oidc/callback`);
    assert.equal(authorize.searchParams.get('scope'), 'openid email profile');
    assert.equal(authorize.searchParams.get('code_challenge_method'), 'S256');
    assert.ok((authorize.searchParams.get('code_challenge') ?? '').length >= 43);
    assert.ok((authorize.searchParams.get('state') ?? '').length >= 16);
    assert.ok((authorize.searchParams.get('nonce') ?? '').length >= 16);
    const saved = cookieAttributes(flow.start, 'pocky_oidc');
    assert.ok(
      saved?.includes('httponly') && saved.includes('path=/auth/oidc'),
      'the pending sign-in is an HttpOnly cookie',
    );

    assert.equal(flow.callback.status, 302);
    assert.equal(flow.callback.headers.get('location'), '/');
    assert.ok(cookiePair(flow.callback, 'pocky_session'));
    assert.equal(app.cookie('pocky_oidc'), undefined, 'the pending sign-in is spent');
    const signedIn = await me(app);
    assert.equal(signedIn.status, 200);
    assert.deepEqual(
      { name: signedIn.body.user.name, kind: signedIn.body.user.kind },
      { name: 'Olga Idp', kind: 'oidc' },
    );

    const [app2, idp2] = browsers();
    const again = await oidcSignIn(app2, idp2, provider, person);
    assert.equal(again.callback.headers.get('location'), '/');
    assert.equal((await me(app2)).body.user.id, signedIn.body.user.id, 'one account per (issuer, subject)');
  });

  test('O2 the provider refuses a code grant without the PKCE verifier (so pockychat sends it)', async () => {
    // The provider is configured with pkce.required: the flow of O1 passing means the verifier went along.
    // Without the code_challenge, the provider refuses at once:
    const idp = new Browser(provider.issuer);
    const [app] = browsers();
    const start = new URL((await app.get('/auth/oidc')).headers.get('location') as string);
    start.searchParams.delete('code_challenge');
    start.searchParams.delete('code_challenge_method');
    const refused = await idp.get(start.href);
    const location = new URL(refused.headers.get('location') as string);
    assert.equal(location.searchParams.get('error'), 'invalid_request');
    const callback = await app.get(location.href);
    assert.match(signInError(callback) ?? '', /provider said invalid_request/);
    assert.equal((await me(app)).status, 401);
  });

  test('O3 a callback with a wrong state is refused, back to the client with an error', async () => {
    const [app, idp] = browsers();
    const flow = await oidcSignIn(
      app,
      idp,
      provider,
      { sub: nextSub(), name: 'Wrong State' },
      {
        tamper: (callback) => callback.searchParams.set('state', 'x'.repeat(43)),
      },
    );
    assert.match(signInError(flow.callback) ?? '', /state does not match/);
    assert.equal(cookiePair(flow.callback, 'pocky_session'), undefined);
    assert.equal((await me(app)).status, 401);
  });

  test("O4 a callback carrying another browser's code and state is refused (no login CSRF)", async () => {
    const [victim] = browsers();
    assert.equal((await victim.get('/auth/oidc')).status, 302, 'the victim has a pending sign-in of its own');
    const [attacker, idp] = browsers();
    let stolen: URL | undefined;
    // The attacker walks the flow up to the callback, and spoils its own state so its code stays unspent.
    await oidcSignIn(
      attacker,
      idp,
      provider,
      { sub: nextSub(), name: 'Attacker' },
      {
        tamper: (callback) => {
          stolen = new URL(callback.href);
          callback.searchParams.set('state', 'spoiled'.repeat(5));
        },
      },
    );
    const landed = await victim.get((stolen as URL).href);
    assert.match(signInError(landed) ?? '', /state does not match/);
    assert.equal(cookiePair(landed, 'pocky_session'), undefined);
    assert.equal((await me(victim)).status, 401);
  });

  for (const [field, why] of [
    ['nonce', 'the ID token must carry the nonce of this sign-in'],
    ['verifier', 'the provider checks the PKCE verifier against the challenge'],
  ] as const) {
    test(`O4-${field} a pending sign-in with another ${field} is refused: ${why}`, async () => {
      const [app, idp] = browsers();
      const flow = await oidcSignIn(
        app,
        idp,
        provider,
        { sub: nextSub(), name: 'Tampered' },
        {
          tamper: () => {
            const saved = JSON.parse(Buffer.from(app.cookie('pocky_oidc') as string, 'base64url').toString()) as Record<
              string,
              string
            >;
            saved[field] = 'y'.repeat(43);
            app.setCookie('pocky_oidc', Buffer.from(JSON.stringify(saved)).toString('base64url'));
          },
        },
      );
      assert.match(signInError(flow.callback) ?? '', /did not check out/);
      assert.equal((await me(app)).status, 401);
    });
  }

  test('O5 the person cancelling at the provider comes back with a clear error, not signed in', async () => {
    const [app, idp] = browsers();
    const flow = await oidcSignIn(
      app,
      idp,
      provider,
      { sub: nextSub() },
      {
        tamper: (callback) => {
          callback.searchParams.delete('code');
          callback.searchParams.set('error', 'access_denied');
        },
      },
    );
    assert.match(signInError(flow.callback) ?? '', /cancelled/);
    assert.equal((await me(app)).status, 401);
  });

  test('O6 a callback without a pending sign-in (no cookie) is refused', async () => {
    const app = new Browser(server.url);
    const answer = await app.get('/auth/oidc/callback?code=x&state=y');
    assert.match(signInError(answer) ?? '', /expired or began in another browser/);
  });

  test('O7 a verified email links to the existing account of that email', async () => {
    const email = 'linked@example.test';
    const registered = await api(server.url, undefined, '/auth/register', {
      method: 'POST',
      body: JSON.stringify({ email, password: 'long password 1', name: 'Linda' }),
    });
    assert.equal(registered.status, 201);
    const [app, idp] = browsers();
    await oidcSignIn(app, idp, provider, { sub: nextSub(), name: 'Linda Sso', email, email_verified: true });
    assert.deepEqual((await me(app)).body.user, registered.body.user);
  });

  test('O8 an unverified email does not link: a new account, and the email account stays apart', async () => {
    const email = 'unverified@example.test';
    const registered = await api(server.url, undefined, '/auth/register', {
      method: 'POST',
      body: JSON.stringify({ email, password: 'long password 1', name: 'Uma' }),
    });
    const [app, idp] = browsers();
    await oidcSignIn(app, idp, provider, { sub: nextSub(), name: 'Not Uma', email, email_verified: false });
    const user = (await me(app)).body.user;
    assert.notEqual(user.id, registered.body.user.id);
    assert.equal(user.kind, 'oidc');
  });

  test("O9 a guest's browser signing in keeps the guest: same id, its room and messages", async () => {
    const [app, idp] = browsers();
    const guest = await app.get('/auth/guest', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Gwen' }),
    });
    const { user, token } = (await guest.json()) as { user: { id: string }; token: string };
    const socket = await ChatClient.connect(server.url, token);
    await socket.join('oidc-guest-room');
    socket.send({ type: 'send', room: 'oidc-guest-room', clientId: 'o1', text: 'before sso' });
    await socket.next('ack');

    await oidcSignIn(app, idp, provider, { sub: nextSub(), name: 'Gwen Sso' });
    const account = (await me(app)).body.user;
    assert.deepEqual(account, { id: user.id, name: 'Gwen Sso', kind: 'oidc' });
    const history = (await (await app.get('/history?room=oidc-guest-room')).json()) as any;
    assert.deepEqual(history.messages[0].author, account);
    assert.equal((await api(server.url, token, '/me')).status, 401, 'the guest token ended');
    await socket.next('reconnect');
    socket.close();
  });

  test('O10 ?return=<an allowed origin> ends at <origin>/#access_token=…; a foreign one is ignored', async () => {
    const [app, idp] = browsers();
    const flow = await oidcSignIn(app, idp, provider, { sub: nextSub(), name: 'Ret' }, { returnTo: APP_ORIGIN });
    const match = /^http:\/\/app\.example\.test\/#access_token=(.+)$/.exec(flow.callback.headers.get('location') ?? '');
    assert.ok(match);
    assert.equal((await api(server.url, decodeURIComponent(match[1] as string), '/me')).body.user.name, 'Ret');
    const [app2, idp2] = browsers();
    const foreign = await oidcSignIn(
      app2,
      idp2,
      provider,
      { sub: nextSub() },
      { returnTo: 'http://evil.example.test' },
    );
    assert.equal(foreign.callback.headers.get('location'), '/');
  });

  test('O13 two first sign-ins of one person at once end in one account', async () => {
    const person = { sub: nextSub(), name: 'Twice At Once' };
    const pending: Array<{ cookie: string; callback: URL }> = [];
    for (let i = 0; i < 2; i++) {
      const [app, idp] = browsers();
      // Each walks to the provider and back; the callback is held (its state spoiled so the code stays unspent).
      await oidcSignIn(app, idp, provider, person, {
        tamper: (callback) => {
          pending.push({ cookie: app.cookieHeader, callback: new URL(callback.href) });
          callback.searchParams.set('state', 'held'.repeat(10));
        },
      });
    }
    // Each browser's pending cookie as it was before the spoiled callback; both callbacks at once.
    const ends = await Promise.all(
      pending.map(async ({ cookie, callback }) => {
        const response = await fetch(callback.href, { headers: { cookie }, redirect: 'manual' });
        return cookiePair(response, 'pocky_session') as string;
      }),
    );
    const ids = await Promise.all(
      ends.map(async (cookie) => (await api(server.url, undefined, '/me', { headers: { cookie } })).body.user.id),
    );
    assert.equal(ids[0], ids[1]);
    // The account the losing sign-in made is not left behind, a user no sign-in reaches.
    const db = new DatabaseSync(path.join(server.dataDir, 'pockychat.sqlite'), { readOnly: true });
    try {
      const rows = db.prepare("select id from users where name = 'Twice At Once'").all();
      assert.deepEqual(
        rows.map((row) => row.id),
        [ids[0]],
      );
    } finally {
      db.close();
    }
  });

  test('O11 GET /auth/options names the provider', async () => {
    const options = await api(server.url, undefined, '/auth/options');
    assert.deepEqual(options.body.oidc, { name: 'Test SSO' });
  });
});

describe('OpenID Connect when not configured', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  test('O12 GET /auth/oidc and its callback are 404 not_found', async () => {
    for (const path of ['/auth/oidc', '/auth/oidc/callback?code=x&state=y']) {
      const answer = await api(server.url, undefined, path);
      assert.equal(answer.status, 404);
      assert.equal(answer.body.error.code, 'not_found');
    }
  });
});
