import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { api, guest, guestWithCookie } from './helpers/clients.ts';
import { RawSocket, upgradeStatus } from './helpers/raw-socket.ts';
import { startTestServer, type TestServer } from './helpers/test-server.ts';

/** Who may open a Primus connection, and from which page. */
describe('upgrade: identity on the Primus upgrade', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  test('an upgrade without a token or cookie is refused with 401', async () => {
    assert.equal(await upgradeStatus(server.url), 401);
  });

  test('an upgrade with an unknown token is refused with 401', async () => {
    assert.equal(await upgradeStatus(server.url, { token: 'not-a-token' }), 401);
    assert.equal(await upgradeStatus(server.url, { token: 'x'.repeat(5000) }), 401);
  });

  test('an upgrade with a valid access_token is accepted, and refused once the token is revoked', async () => {
    const ann = await guest(server.url);
    assert.equal(await upgradeStatus(server.url, { token: ann.token }), 101);
    const logout = await api(server.url, ann.token, '/auth/logout', { method: 'POST' });
    assert.equal(logout.status, 204);
    assert.equal(await upgradeStatus(server.url, { token: ann.token }), 401);
  });

  test('an upgrade with the session cookie set by /auth/guest is accepted, and refused after logout', async () => {
    const ann = await guestWithCookie(server.url);
    assert.match(ann.cookie, /^pocky_session=.+/);
    assert.equal(await upgradeStatus(server.url, { cookie: ann.cookie }), 101);
    // The cookie identifies the user the answer named.
    const socket = await RawSocket.connect(server.url, undefined, { cookie: ann.cookie });
    socket.send({ type: 'join', room: 'lobby' });
    await socket.next('joined');
    socket.send({ type: 'send', room: 'lobby', clientId: 'cookie-1', text: 'via cookie' });
    assert.deepEqual((await socket.next('ack')).message.author, ann.user);
    socket.close();

    const logout = await fetch(`${server.url}/auth/logout`, { method: 'POST', headers: { cookie: ann.cookie } });
    assert.equal(logout.status, 204);
    assert.equal(await upgradeStatus(server.url, { cookie: ann.cookie }), 401);
  });

  test('tokens are stored hashed: the database files never hold a token as issued', async () => {
    const ann = await guest(server.url);
    assert.equal((await api(server.url, ann.token, '/me')).status, 200);
    const files = readdirSync(server.dataDir).filter((f) => f.includes('sqlite'));
    assert.ok(files.length > 0);
    for (const file of files) {
      const bytes = readFileSync(path.join(server.dataDir, file));
      assert.equal(bytes.includes(ann.token), false, `${file} holds the raw token`);
    }
  });

  test('tokens are random: two guests never get the same token', async () => {
    const a = await guest(server.url);
    const b = await guest(server.url);
    assert.notEqual(a.token, b.token);
    assert.ok(a.token.length >= 32, 'a token carries enough randomness');
  });
});

describe('upgrade: Origin against the allowed origins (default: the server itself)', () => {
  let server: TestServer;
  let token: string;
  before(async () => {
    server = await startTestServer();
    token = (await guest(server.url)).token;
  });
  after(() => server.close());

  test('a foreign Origin is refused with 403, even with a valid token', async () => {
    assert.equal(await upgradeStatus(server.url, { token, origin: 'https://evil.example' }), 403);
    // Same host, other port or scheme: another origin.
    const port = new URL(server.url).port;
    assert.equal(await upgradeStatus(server.url, { token, origin: `http://127.0.0.1:${Number(port) + 1}` }), 403);
    assert.equal(await upgradeStatus(server.url, { token, origin: `https://evil.example:${port}` }), 403);
  });

  test('a foreign page riding on the session cookie is refused with 403 (cross-site WebSocket hijacking)', async () => {
    const ann = await guestWithCookie(server.url);
    assert.equal(await upgradeStatus(server.url, { cookie: ann.cookie, origin: 'https://evil.example' }), 403);
    assert.equal(await upgradeStatus(server.url, { cookie: ann.cookie, origin: server.url }), 101);
  });

  test('Origin `null` (sandboxed frame, file://) is refused with 403', async () => {
    assert.equal(await upgradeStatus(server.url, { token, origin: 'null' }), 403);
  });

  test("the server's own origin is accepted", async () => {
    assert.equal(await upgradeStatus(server.url, { token, origin: server.url }), 101);
  });

  test('no Origin (a non-browser client) is accepted', async () => {
    assert.equal(await upgradeStatus(server.url, { token }), 101);
  });

  test('the origin check comes first: a foreign page learns nothing about a token', async () => {
    assert.equal(await upgradeStatus(server.url, { origin: 'https://evil.example' }), 403);
  });
});

describe('upgrade: ALLOWED_ORIGINS', () => {
  let server: TestServer;
  let token: string;
  before(async () => {
    server = await startTestServer({ env: { ALLOWED_ORIGINS: 'https://chat.example.com' } });
    token = (await guest(server.url)).token;
  });
  after(() => server.close());

  test('an origin listed in ALLOWED_ORIGINS is accepted', async () => {
    assert.equal(await upgradeStatus(server.url, { token, origin: 'https://chat.example.com' }), 101);
  });

  test('an origin not listed is still refused', async () => {
    assert.equal(await upgradeStatus(server.url, { token, origin: 'https://chat.example.com.evil.example' }), 403);
    assert.equal(await upgradeStatus(server.url, { token, origin: 'http://chat.example.com' }), 403);
  });

  test('a state-changing HTTP call from a listed origin is accepted, from a foreign one refused', async () => {
    const listed = await api(server.url, undefined, '/auth/guest', {
      method: 'POST',
      headers: { origin: 'https://chat.example.com' },
      body: JSON.stringify({ name: 'Ann' }),
    });
    assert.equal(listed.status, 200);
    const foreign = await api(server.url, undefined, '/auth/guest', {
      method: 'POST',
      headers: { origin: 'https://evil.example' },
      body: JSON.stringify({ name: 'Ann' }),
    });
    assert.equal(foreign.status, 403);
  });
});

describe('HTTP: authentication', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  for (const path of ['/me', '/history?room=lobby', '/rooms']) {
    test(`GET ${path} without a token is 401 unauthenticated`, async () => {
      const answer = await api(server.url, undefined, path);
      assert.equal(answer.status, 401);
      assert.equal(answer.body.error.code, 'unauthenticated');
      assert.equal(typeof answer.body.error.message, 'string');
    });
  }

  test('a revoked token is 401 on every call; the session cookie stops working too', async () => {
    const ann = await guestWithCookie(server.url);
    const token = ann.token;
    assert.deepEqual((await api(server.url, token, '/me')).body, { user: ann.user });
    const viaCookie = await api(server.url, undefined, '/me', { headers: { cookie: ann.cookie } });
    assert.equal(viaCookie.status, 200);

    const logout = await fetch(`${server.url}/auth/logout`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(logout.status, 204);
    for (const path of ['/me', '/history?room=lobby', '/rooms']) {
      const answer = await api(server.url, token, path);
      assert.equal(answer.status, 401, path);
      assert.equal(answer.body.error.code, 'unauthenticated', path);
    }
    // The cookie held the same token: it is revoked with it.
    const cookieAfter = await api(server.url, undefined, '/me', { headers: { cookie: ann.cookie } });
    assert.equal(cookieAfter.status, 401);
  });

  test('logging out one session leaves the user’s other sessions alone', async () => {
    const ann = await guest(server.url);
    const other = await guest(server.url, 'Bob');
    await api(server.url, ann.token, '/auth/logout', { method: 'POST' });
    assert.equal((await api(server.url, other.token, '/me')).status, 200);
  });

  test('a malformed Authorization header is 401, not 500', async () => {
    for (const authorization of ['Bearer', 'Bearer ', 'Basic abc', `Bearer ${'x'.repeat(4000)}`]) {
      const response = await fetch(`${server.url}/me`, { headers: { authorization } });
      assert.equal(response.status, 401, authorization.slice(0, 20));
    }
  });

  test('GET /primus/primus.js serves the client library', async () => {
    const response = await fetch(`${server.url}/primus/primus.js`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /javascript/);
    assert.match(await response.text(), /Primus/);
  });

  test("CORS: a foreign origin gets no Access-Control-Allow-Origin, on the API nor on Primus's paths", async () => {
    for (const path of ['/me', '/primus/primus.js', '/primus/spec']) {
      const preflight = await fetch(`${server.url}${path}`, {
        method: 'OPTIONS',
        headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET' },
      });
      assert.equal(preflight.headers.get('access-control-allow-origin'), null, `preflight ${path}`);
      const simple = await fetch(`${server.url}${path}`, { headers: { origin: 'https://evil.example' } });
      assert.equal(simple.headers.get('access-control-allow-origin'), null, `GET ${path}`);
      assert.equal(simple.headers.get('access-control-allow-credentials'), null, `GET ${path}`);
    }
  });

  test('POST /auth/guest from a foreign Origin is 403 forbidden', async () => {
    for (const origin of ['https://evil.example', 'null']) {
      const answer = await api(server.url, undefined, '/auth/guest', {
        method: 'POST',
        headers: { origin },
        body: JSON.stringify({ name: 'Mallory' }),
      });
      assert.equal(answer.status, 403, origin);
      assert.equal(answer.body.error.code, 'forbidden');
    }
  });

  test('POST /auth/guest from the own origin, or with no Origin, is accepted', async () => {
    const own = await api(server.url, undefined, '/auth/guest', {
      method: 'POST',
      headers: { origin: server.url },
      body: JSON.stringify({ name: 'Ann' }),
    });
    assert.equal(own.status, 200);
    assert.equal(own.body.user.kind, 'guest');
    assert.equal(own.body.user.name, 'Ann');
    assert.equal(typeof own.body.token, 'string');
  });
});
