import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ChatClient, api, guest } from './helpers/clients.ts';
import { startTestServer, type TestServer } from './helpers/test-server.ts';
import { waitFor } from './helpers/wait-for.ts';

let server: TestServer;
before(async () => {
  server = await startTestServer();
});
after(() => server.close());

test('logout closes the connections opened with that token within a second, and only those', async () => {
  const ann = await guest(server.url, 'Ann');
  const other = await api(server.url, undefined, '/auth/guest', {
    method: 'POST',
    body: JSON.stringify({ name: 'Ann 2' }),
  });
  const signedOut = await ChatClient.connect(server.url, ann.token);
  const bystander = await ChatClient.connect(server.url, other.body.token);
  await signedOut.join('lobby');
  await bystander.join('lobby');

  const loggedOut = await api(server.url, ann.token, '/auth/logout', { method: 'POST' });
  assert.equal(loggedOut.status, 204);
  const error = await signedOut.next('error', () => true, 1000);
  assert.equal(error.code, 'unauthenticated');
  await waitFor(() => signedOut.closed, { timeoutMs: 1000, what: 'the connection to close' });
  assert.equal(bystander.closed, false);
  assert.equal((await api(server.url, ann.token, '/me')).status, 401);
  bystander.close();
});
