import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { api } from './helpers/clients.ts';
import { startTestServer, type TestServer } from './helpers/test-server.ts';

async function withServer(env: Record<string, string>, run: (server: TestServer) => Promise<void>): Promise<void> {
  const server = await startTestServer({ env });
  try {
    await run(server);
  } finally {
    await server.close();
  }
}

const signIn = (server: TestServer) =>
  api(server.url, undefined, '/auth/guest', { method: 'POST', body: JSON.stringify({ name: 'Ann' }) });

describe('AUTH_RATE_LIMIT: sign-ins a minute per client address', () => {
  for (const limit of [3, 7]) {
    test(`AUTH_RATE_LIMIT=${limit}: ${limit} guest sign-ins pass, the next is 429 rate_limited`, async () => {
      await withServer({ AUTH_RATE_LIMIT: String(limit) }, async (server) => {
        for (let i = 0; i < limit; i++) assert.equal((await signIn(server)).status, 200, `sign-in ${i + 1}`);
        const over = await signIn(server);
        assert.equal(over.status, 429);
        assert.equal(over.body.error.code, 'rate_limited');
        // The other routes keep the HTTP limit.
        assert.equal((await api(server.url, undefined, '/healthz')).status, 200);
      });
    });
  }
});

describe('HTTP_RATE_LIMIT: requests a minute per client address', () => {
  for (const limit of [4, 9]) {
    test(`HTTP_RATE_LIMIT=${limit}: ${limit} requests pass, the next is 429 rate_limited`, async () => {
      await withServer({ HTTP_RATE_LIMIT: String(limit) }, async (server) => {
        for (let i = 0; i < limit; i++) {
          assert.equal((await api(server.url, undefined, '/healthz')).status, 200, `request ${i + 1}`);
        }
        const over = await api(server.url, undefined, '/healthz');
        assert.equal(over.status, 429);
        assert.equal(over.body.error.code, 'rate_limited');
      });
    });
  }
});
