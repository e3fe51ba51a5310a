import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { PROTOCOL_VERSION } from '@pockychat/protocol';
import { everyResponseHeaders, refusedUpgrade } from './helpers/response-headers.ts';
import { startTestServer, type TestServer } from './helpers/test-server.ts';

async function headersOf(url: string): Promise<{ status: number; headers: Record<string, string> }> {
  const response = await fetch(url);
  await response.arrayBuffer();
  return { status: response.status, headers: Object.fromEntries(response.headers) };
}

describe('response headers on every response, without TLS', () => {
  let server: TestServer;
  let route: Record<string, string>;
  before(async () => {
    server = await startTestServer();
    route = (await headersOf(`${server.url}/healthz`)).headers;
  });
  after(() => server.close());

  test('a Fastify route carries the security headers and the protocol version, and no HSTS', () => {
    for (const name of everyResponseHeaders) assert.ok(route[name], name);
    assert.match(route['content-security-policy'] ?? '', /script-src 'self'/);
    assert.equal(route['x-content-type-options'], 'nosniff');
    assert.equal(route['x-pockychat-protocol'], String(PROTOCOL_VERSION));
    assert.equal(route['strict-transport-security'], undefined, 'HSTS only under TLS');
  });

  for (const [path, status] of [
    ['/primus/primus.js', 200],
    ['/primus/spec', 200],
    ['/primus', 401],
    ['/no-such-route', 404],
  ] as const) {
    test(`GET ${path} (${status}) carries the same headers as a Fastify route`, async () => {
      const answer = await headersOf(`${server.url}${path}`);
      assert.equal(answer.status, status);
      for (const name of everyResponseHeaders) {
        if (path === '/primus/primus.js' && name === 'cross-origin-resource-policy') continue;
        assert.equal(answer.headers[name], route[name], name);
      }
      assert.equal(answer.headers['strict-transport-security'], undefined);
    });
  }

  test('the Primus client library may be loaded by a web client hosted on another origin', async () => {
    const answer = await headersOf(`${server.url}/primus/primus.js`);
    assert.equal(answer.headers['cross-origin-resource-policy'], 'cross-origin');
    assert.equal(route['cross-origin-resource-policy'], 'same-origin');
  });

  test('a refused upgrade (401 without a token, 403 from a foreign page) carries them too', async () => {
    const unauthenticated = await refusedUpgrade(server.url);
    const foreign = await refusedUpgrade(server.url, { headers: { origin: 'https://evil.example' } });
    assert.equal(unauthenticated.status, 401);
    assert.equal(foreign.status, 403);
    for (const { headers } of [unauthenticated, foreign]) {
      for (const name of everyResponseHeaders) assert.equal(headers[name], route[name], name);
      assert.equal(headers['content-type'], 'application/json');
    }
  });
});
