import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Browser, cookieAttributes, cookiePair } from './helpers/browser.ts';
import { ChatClient, api } from './helpers/clients.ts';
import { facebookSignIn, startFakeFacebook, type FakeFacebook } from './helpers/oauth-provider.ts';
import { startTestServer, type TestServer } from './helpers/test-server.ts';
import { waitFor } from './helpers/wait-for.ts';

const APP_ORIGIN = 'http://app.example.test';

/** A guest signed in from a browser: the session cookie lands in its jar. */
async function browserGuest(browser: Browser, name: string): Promise<{ id: string; token: string }> {
  const response = await browser.get('/auth/guest', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name }),
  });
  assert.equal(response.status, 200);
  const body = (await response.json()) as { user: { id: string }; token: string };
  return { id: body.user.id, token: body.token };
}

/** Who the browser's session cookie says it is. */
async function me(browser: Browser): Promise<{ status: number; body: any }> {
  const response = await browser.get('/me');
  return { status: response.status, body: await response.json() };
}

let ids = 2000;
const nextFacebookId = () => String(ids++);

describe('Facebook sign-in against a real local OAuth 2 provider', () => {
  let provider: FakeFacebook;
  let server: TestServer;
  before(async () => {
    provider = await startFakeFacebook();
    server = await startTestServer({ env: { ...provider.env, ALLOWED_ORIGINS: APP_ORIGIN } });
  });
  after(async () => {
    await server.close();
    await provider.close();
  });

  test('the whole flow: start, provider, callback, session cookie; signing in again is the same account', async () => {
    const browser = new Browser(server.url);
    const profile = { id: nextFacebookId(), name: 'Fay Book' };
    const flow = await facebookSignIn(browser, provider, profile);

    const authorize = new URL(flow.start.headers.get('location') as string);
    assert.equal(authorize.origin + authorize.pathname, provider.env.FACEBOOK_AUTHORIZE_URL);
    assert.equal(authorize.searchParams.get('client_id'), provider.env.FACEBOOK_APP_ID);
    assert.equal(authorize.searchParams.get('redirect_uri'), `${server.url}/auth/facebook/callback`);
    const state = authorize.searchParams.get('state');
    assert.ok(state && state.length >= 16, 'the redirect carries a random state');
    const stateCookie = cookieAttributes(flow.start, 'pocky_oauth_state');
    assert.ok(stateCookie?.includes('httponly'), 'the state is kept in an HttpOnly cookie');
    assert.equal(cookiePair(flow.start, 'pocky_oauth_state'), `pocky_oauth_state=${state}`);

    const back = new URL(flow.authorize.headers.get('location') as string);
    assert.equal(back.searchParams.get('state'), state);
    assert.ok(back.searchParams.get('code'));

    assert.equal(flow.callback.status, 302);
    assert.equal(flow.callback.headers.get('location'), '/');
    const session = cookieAttributes(flow.callback, 'pocky_session');
    assert.ok(session?.includes('httponly') && session.includes('samesite=lax'));
    assert.equal(browser.cookie('pocky_oauth_state'), undefined, 'the state cookie is spent');

    const signedIn = await me(browser);
    assert.equal(signedIn.status, 200);
    assert.equal(signedIn.body.user.kind, 'facebook');
    assert.equal(signedIn.body.user.name, 'Fay Book');
    assert.equal(provider.refusals, 0, 'the server sent a valid token and appsecret_proof');

    const again = await facebookSignIn(new Browser(server.url), provider, profile);
    assert.equal(again.callback.status, 302);
    const pair = cookiePair(again.callback, 'pocky_session') as string;
    const second = await api(server.url, undefined, '/me', { headers: { cookie: pair } });
    assert.equal(second.body.user.id, signedIn.body.user.id);
  });

  test('a callback without state is refused with 403', async () => {
    const browser = new Browser(server.url);
    const flow = await facebookSignIn(
      browser,
      provider,
      { id: nextFacebookId(), name: 'No State' },
      {
        tamper: (callback) => callback.searchParams.delete('state'),
      },
    );
    assert.equal(flow.callback.status, 403);
    assert.equal(((await flow.callback.json()) as any).error.code, 'forbidden');
    assert.equal(cookiePair(flow.callback, 'pocky_session'), undefined);
    assert.equal((await me(browser)).status, 401);
  });

  test('a callback with a wrong state is refused with 403', async () => {
    const browser = new Browser(server.url);
    const flow = await facebookSignIn(
      browser,
      provider,
      { id: nextFacebookId(), name: 'Wrong State' },
      {
        tamper: (callback) => callback.searchParams.set('state', 'x'.repeat(32)),
      },
    );
    assert.equal(flow.callback.status, 403);
    assert.equal(((await flow.callback.json()) as any).error.code, 'forbidden');
    assert.equal((await me(browser)).status, 401);
  });

  test("a callback carrying another browser's code and state is refused (no login CSRF)", async () => {
    const victim = new Browser(server.url);
    assert.equal((await victim.get('/auth/facebook')).status, 302, 'the victim has a state cookie of its own');
    // The attacker signs in up to the provider, then gets the victim's browser to follow its callback.
    const attacker = new Browser(server.url);
    const start = await attacker.get('/auth/facebook');
    provider.signInAs({ id: nextFacebookId(), name: 'Attacker' });
    const authorize = await attacker.get(start.headers.get('location') as string);
    const callback = authorize.headers.get('location') as string;

    const landed = await victim.get(callback);
    assert.equal(landed.status, 403);
    assert.equal(cookiePair(landed, 'pocky_session'), undefined);
    assert.equal((await me(victim)).status, 401);
    // The same callback in the browser that started it works: the refusal was the state's.
    assert.equal((await attacker.get(callback)).status, 302);
    assert.equal((await me(attacker)).body.user.name, 'Attacker');
  });

  test('the provider refusing (the person cancelled) is a 403, not a crash', async () => {
    const browser = new Browser(server.url);
    const flow = await facebookSignIn(
      browser,
      provider,
      { id: nextFacebookId(), name: 'Cancel' },
      {
        tamper: (callback) => {
          callback.searchParams.delete('code');
          callback.searchParams.set('error', 'access_denied');
          callback.searchParams.set('error_description', 'Permissions error');
        },
      },
    );
    assert.equal(flow.callback.status, 403);
    assert.equal((await me(browser)).status, 401);
  });

  test("a guest's browser signing in keeps the guest: same id, its private room and message", async () => {
    const browser = new Browser(server.url);
    const guest = await browserGuest(browser, 'Gus');
    const socket = await ChatClient.connect(server.url, guest.token);
    await socket.join('fb-guest-room');
    socket.send({ type: 'send', room: 'fb-guest-room', clientId: 'g1', text: 'before facebook' });
    await socket.next('ack');

    const flow = await facebookSignIn(browser, provider, { id: nextFacebookId(), name: 'Gus Book' });
    assert.equal(flow.callback.status, 302);
    const account = await me(browser);
    assert.deepEqual(account.body.user, { id: guest.id, name: 'Gus Book', kind: 'facebook' });

    const members = await browser.get('/rooms/fb-guest-room/members');
    assert.equal(members.status, 200);
    const listed = ((await members.json()) as any).members.map(({ user, role }: any) => ({ user, role }));
    assert.deepEqual(listed, [{ user: account.body.user, role: 'owner' }], 'presence (status) aside');
    const history = (await (await browser.get('/history?room=fb-guest-room')).json()) as any;
    assert.deepEqual(history.messages[0].author, account.body.user);
    assert.equal((await api(server.url, guest.token, '/me')).status, 401, 'the guest token ended with the guest');
    // The guest's connection carried a stale identity: it is asked to reconnect.
    await socket.next('reconnect');
    socket.close();
  });

  test('a guest signing in to an existing Facebook account is merged into it', async () => {
    const profile = { id: nextFacebookId(), name: 'Mia Book' };
    const first = await facebookSignIn(new Browser(server.url), provider, profile);
    const accountCookie = cookiePair(first.callback, 'pocky_session') as string;
    const account = (await api(server.url, undefined, '/me', { headers: { cookie: accountCookie } })).body.user;

    const browser = new Browser(server.url);
    const guest = await browserGuest(browser, 'Guest Mia');
    const socket = await ChatClient.connect(server.url, guest.token);
    await socket.join('fb-merge-room');
    socket.send({ type: 'send', room: 'fb-merge-room', clientId: 'm1', text: 'as a guest' });
    await socket.next('ack');

    const flow = await facebookSignIn(browser, provider, profile);
    assert.equal(flow.callback.status, 302);
    assert.deepEqual((await me(browser)).body.user, account);
    const history = await api(server.url, undefined, '/history?room=fb-merge-room', {
      headers: { cookie: accountCookie },
    });
    assert.equal(history.status, 200, 'the account is now a member of the guest’s private room');
    assert.deepEqual(history.body.messages[0].author, account);
    assert.equal((await api(server.url, guest.token, '/me')).status, 401, 'the guest token ended with the guest');
    await socket.next('reconnect');
    await waitFor(() => socket.closed, { what: 'the guest connection to close' });
  });

  test('?return=<an allowed origin> ends at <origin>/#access_token=… with a working token', async () => {
    const browser = new Browser(server.url);
    const flow = await facebookSignIn(
      browser,
      provider,
      { id: nextFacebookId(), name: 'Ret Urn' },
      {
        returnTo: APP_ORIGIN,
      },
    );
    assert.equal(flow.callback.status, 302);
    const location = flow.callback.headers.get('location') as string;
    const match = /^http:\/\/app\.example\.test\/#access_token=(.+)$/.exec(location);
    assert.ok(match, `redirected to ${location}`);
    const answer = await api(server.url, decodeURIComponent(match[1] as string), '/me');
    assert.equal(answer.status, 200);
    assert.equal(answer.body.user.name, 'Ret Urn');
  });

  test('?return=<an origin not allowed> is ignored: the flow ends at /', async () => {
    const flow = await facebookSignIn(
      new Browser(server.url),
      provider,
      { id: nextFacebookId(), name: 'Evil' },
      {
        returnTo: 'http://evil.example.test',
      },
    );
    assert.equal(flow.callback.status, 302);
    assert.equal(flow.callback.headers.get('location'), '/');
  });

  test('an abandoned ?return does not steer a later sign-in started without one', async () => {
    const browser = new Browser(server.url);
    const abandoned = await browser.get(`/auth/facebook?return=${encodeURIComponent(APP_ORIGIN)}`);
    assert.equal(abandoned.status, 302);
    const flow = await facebookSignIn(browser, provider, { id: nextFacebookId(), name: 'Plain' });
    assert.equal(flow.callback.status, 302);
    assert.equal(flow.callback.headers.get('location'), '/');
  });

  test('a Facebook name is stored as a display name: trimmed, cut at 64 without splitting a character', async () => {
    const long = `  ${'a'.repeat(63)}\u{1F600}tail`;
    const cases: Array<[string, (name: string) => void]> = [
      [long, (name) => assert.equal(name, 'a'.repeat(63))],
      ['  Spacey Name  ', (name) => assert.equal(name, 'Spacey Name')],
      ['   ', (name) => assert.equal(name, 'Facebook user')],
      ['Nul\u0000Name', (name) => assert.ok(!name.includes('\u0000'))],
    ];
    for (const [name, check] of cases) {
      const browser = new Browser(server.url);
      const flow = await facebookSignIn(browser, provider, { id: nextFacebookId(), name });
      assert.equal(flow.callback.status, 302, JSON.stringify(name));
      const user = (await me(browser)).body.user;
      assert.ok(user.name.isWellFormed() && user.name.length <= 64, JSON.stringify(user.name));
      check(user.name);
    }
  });

  test('an invite for a Facebook id is claimed at that person’s first sign-in', async () => {
    const owner = await browserGuest(new Browser(server.url), 'Owner');
    const socket = await ChatClient.connect(server.url, owner.token);
    await socket.join('fb-invite-room');
    const facebookId = nextFacebookId();
    const invite = await api(server.url, owner.token, '/rooms/fb-invite-room/invites', {
      method: 'POST',
      body: JSON.stringify({ facebookId }),
    });
    assert.equal(invite.status, 201);
    assert.deepEqual(invite.body, { room: 'fb-invite-room', invitee: { facebookId } });

    const flow = await facebookSignIn(new Browser(server.url), provider, { id: facebookId, name: 'Invitee' });
    const token = cookiePair(flow.callback, 'pocky_session')?.split('=')[1] as string;
    const invitee = await ChatClient.connect(server.url, token);
    assert.equal(await invitee.join('fb-invite-room'), 0);

    // A second invite by Facebook id now reaches the account directly.
    const laterId = nextFacebookId();
    const other = await facebookSignIn(new Browser(server.url), provider, { id: laterId, name: 'Later' });
    const otherToken = cookiePair(other.callback, 'pocky_session')?.split('=')[1] as string;
    const otherSocket = await ChatClient.connect(server.url, otherToken);
    const otherId = (await api(server.url, otherToken, '/me')).body.user.id;
    const direct = await api(server.url, owner.token, '/rooms/fb-invite-room/invites', {
      method: 'POST',
      body: JSON.stringify({ facebookId: laterId }),
    });
    assert.deepEqual(direct.body.invitee, { userId: otherId });
    const invited = await otherSocket.next('invited');
    assert.equal(invited.room, 'fb-invite-room');
    assert.equal(invited.by.id, owner.id);
    for (const c of [socket, invitee, otherSocket]) c.close();
  });
});

describe('Facebook sign-in when not configured', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  test('GET /auth/facebook and its callback are 404 not_found', async () => {
    const start = await api(server.url, undefined, '/auth/facebook');
    assert.equal(start.status, 404);
    assert.equal(start.body.error.code, 'not_found');
    const callback = await api(server.url, undefined, '/auth/facebook/callback?code=x&state=y');
    assert.equal(callback.status, 404);
    assert.equal(callback.body.error.code, 'not_found');
  });
});
