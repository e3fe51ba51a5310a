import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { after, before, describe, test } from 'node:test';
import Primus from 'primus';
import { makeCertificate } from './helpers/certificate.ts';
import { everyResponseHeaders, refusedUpgrade } from './helpers/response-headers.ts';
import { startTestServer, type TestServer } from './helpers/test-server.ts';

function get(
  url: string,
  ca: string,
  options: { headers?: Record<string, string>; method?: string; body?: string } = {},
) {
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }>(
    (resolve, reject) => {
      const req = httpsRequest(url, { ca, method: options.method ?? 'GET', headers: options.headers }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      });
      req.on('error', reject);
      req.end(options.body);
    },
  );
}

describe('TLS: https and wss when given a certificate', () => {
  let server: TestServer;
  let ca: string;

  before(async () => {
    const { cert, key, pem } = makeCertificate();
    ca = pem;
    server = await startTestServer({ env: { TLS_CERT: cert, TLS_KEY: key } });
  });
  after(() => server.close());

  test('serves https with HSTS, Secure cookies, and TLS 1.2 at least', async () => {
    assert.ok(server.url.startsWith('https://'));
    const health = await get(`${server.url}/healthz`, ca);
    assert.equal(health.status, 200);
    assert.match(String(health.headers['strict-transport-security']), /max-age=\d+/);
    const signIn = await get(`${server.url}/auth/guest`, ca, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Ann' }),
    });
    assert.equal(signIn.status, 200);
    assert.match(String(signIn.headers['set-cookie']), /; Secure/i);
    await assert.rejects(
      new Promise((resolve, reject) => {
        const req = httpsRequest(`${server.url}/healthz`, { ca, maxVersion: 'TLSv1.1', minVersion: 'TLSv1' }, resolve);
        req.on('error', reject);
        req.end();
      }),
    );
  });

  test("Primus's own answers (the client library, a refused upgrade) carry HSTS and the headers of a Fastify route", async () => {
    const route = await get(`${server.url}/healthz`, ca);
    assert.match(String(route.headers['strict-transport-security']), /max-age=\d+/);
    const library = await get(`${server.url}/primus/primus.js`, ca);
    assert.equal(library.status, 200);
    assert.match(library.body, /Primus/);
    const refused = await refusedUpgrade(server.url, { ca });
    assert.equal(refused.status, 401);
    for (const name of [...everyResponseHeaders, 'strict-transport-security']) {
      assert.ok(route.headers[name], name);
      // The one difference: the client library is loadable from another origin.
      if (name !== 'cross-origin-resource-policy')
        assert.equal(library.headers[name], route.headers[name], `primus.js: ${name}`);
      assert.equal(refused.headers[name], route.headers[name], `refused upgrade: ${name}`);
    }
  });

  test('plain http is not served on the TLS port', async () => {
    const plain = server.url.replace('https://', 'http://');
    const outcome = await new Promise<string>((resolve) => {
      const req = httpRequest(`${plain}/healthz`, (res) => resolve(`status ${res.statusCode}`));
      req.on('error', (err) => resolve(`error ${err.message}`));
      req.setTimeout(3000, () => req.destroy(new Error('timeout')));
      req.end();
    });
    assert.doesNotMatch(outcome, /status 200/);
  });

  test('Primus connects over wss', async () => {
    const signIn = await get(`${server.url}/auth/guest`, ca, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Ann' }),
    });
    const { token } = JSON.parse(signIn.body) as { token: string };
    const Socket = Primus.createSocket({ transformer: 'websockets', pathname: '/primus' });
    const socket = new Socket(`${server.url}?access_token=${token}`, { strategy: false, transport: { ca } });
    const frame = await new Promise<unknown>((resolve, reject) => {
      socket.on('open', () => socket.write({ type: 'join', room: 'lobby' }));
      socket.on('data', resolve);
      socket.on('error', reject);
    });
    assert.equal(JSON.parse(JSON.stringify(frame)).type, 'joined');
    socket.end();
  });
});
