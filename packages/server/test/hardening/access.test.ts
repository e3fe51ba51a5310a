import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { api, guestWithCookie } from '../helpers/clients.ts';
import { upgradeStatus } from '../helpers/raw-socket.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';
import { recordFigures } from './helpers/figures.ts';

const login = (url: string, email: string, password: string, forwardedFor: string) =>
  api(url, undefined, '/auth/login', {
    method: 'POST',
    headers: { 'x-forwarded-for': forwardedFor },
    body: JSON.stringify({ email, password }),
  });

async function register(url: string, email: string): Promise<void> {
  const answer = await api(url, undefined, '/auth/register', {
    method: 'POST',
    body: JSON.stringify({ email, password: 'correct horse battery', name: 'Victim' }),
  });
  assert.equal(answer.status, 201);
}

let attempts = 0;
const started = Date.now();

describe('hardening: login brute force, with and without a spoofed X-Forwarded-For', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  test('one email: 10 wrong passwords are answered 401, then 429 from any claimed address, the right one included', async () => {
    await register(server.url, 'victim@example.com');
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) {
      attempts++;
      statuses.push((await login(server.url, 'victim@example.com', `guess-${i}`, `10.0.${i}.1`)).status);
    }
    assert.deepEqual(statuses, [...Array<number>(10).fill(401), 429, 429]);
    attempts++;
    const right = await login(server.url, 'victim@example.com', 'correct horse battery', '192.0.2.77');
    assert.equal(right.status, 429, 'throttled even with the right password and a new address');
  });

  test('many emails from one client: the per-address limit holds however X-Forwarded-For lies', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 24; i++) {
      attempts++;
      statuses.push((await login(server.url, `nobody${i}@example.com`, 'x', `203.0.113.${i}`)).status);
    }
    // 20 sign-in attempts a minute per address; the 12 above on this route count too.
    assert.ok(
      statuses.every((s) => s === 401 || s === 429),
      statuses.join(),
    );
    assert.ok(
      statuses.filter((s) => s === 401).length <= 20 - 13 + 1,
      `at most the rest of the 20: ${statuses.join()}`,
    );
    assert.equal(statuses.at(-1), 429);
  });
});

describe('hardening: login limits behind a trusted proxy (TRUST_PROXY=true)', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ env: { TRUST_PROXY: 'true' } });
  });
  after(() => server.close());

  test('the address the proxy reports is believed: each real client has its own limit; one email stays at 10', async () => {
    await register(server.url, 'proxied@example.com');
    // Client A exhausts its address...
    const a: number[] = [];
    for (let i = 0; i < 21; i++) {
      attempts++;
      a.push((await login(server.url, `a${i}@example.com`, 'x', '198.51.100.1')).status);
    }
    assert.deepEqual(a, [...Array<number>(20).fill(401), 429]);
    // ...client B, another address, is still let in (allowed), with the right password.
    attempts++;
    assert.equal((await login(server.url, 'proxied@example.com', 'correct horse battery', '198.51.100.2')).status, 200);
    // The per-email limit does not care about addresses.
    const perEmail: number[] = [];
    for (let i = 0; i < 11; i++) {
      attempts++;
      perEmail.push((await login(server.url, 'proxied@example.com', `guess-${i}`, `198.51.100.${10 + i}`)).status);
    }
    assert.equal(perEmail.at(-1), 429);
  });
});

describe('hardening: cross-site WebSocket hijacking, the session cookie with every kind of Origin', () => {
  let server: TestServer;
  let cookie: string;
  let port: string;
  before(async () => {
    server = await startTestServer();
    cookie = (await guestWithCookie(server.url, 'Ann')).cookie;
    port = new URL(server.url).port;
  });
  after(async () => {
    recordFigures({
      scenario: 'access-brute-force-cswsh',
      title:
        'Login brute force with spoofed X-Forwarded-For; WebSocket upgrades with a valid cookie and hostile Origins',
      badInputs: attempts,
      serverUp: (await fetch(`${server.url}/healthz`)).ok,
      durationMs: Date.now() - started,
    });
    await server.close();
  });

  test('refused (403): foreign, null, look-alike, other port, userinfo; accepted (101): own origin, no Origin', async () => {
    const cases: Array<[string | undefined, number]> = [
      ['http://evil.example', 403],
      ['null', 403],
      [`http://127.0.0.1.evil.example:${port}`, 403],
      [`http://evil.example/127.0.0.1:${port}`, 403],
      [`http://127.0.0.1:${Number(port) + 1}`, 403],
      [`http://localhost:${port}`, 403],
      [`http://evil.example@127.0.0.1.evil.example:${port}`, 403],
      ['file://', 403],
      ['', 403],
      [`http://127.0.0.1:${port}`, 101],
      [undefined, 101],
    ];
    const got: Array<[string | undefined, number]> = [];
    for (const [origin, _] of cases) {
      attempts++;
      got.push([origin, await upgradeStatus(server.url, { cookie, ...(origin !== undefined && { origin }) })]);
    }
    assert.deepEqual(got, cases);
  });

  test('state-changing HTTP calls with the cookie follow the same rule', async () => {
    for (const [origin, status] of [
      ['http://evil.example', 403],
      ['null', 403],
      [`http://127.0.0.1:${port}`, 204],
    ] as const) {
      attempts++;
      const { cookie: own } = await guestWithCookie(server.url, 'Bob');
      const answer = await fetch(`${server.url}/auth/logout`, { method: 'POST', headers: { cookie: own, origin } });
      assert.equal(answer.status, status, origin);
      // Refused means the session still works.
      const me = await fetch(`${server.url}/me`, { headers: { cookie: own } });
      assert.equal(me.status, status === 403 ? 200 : 401, origin);
    }
  });
});
