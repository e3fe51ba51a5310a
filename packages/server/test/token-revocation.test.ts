import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Accounts } from '../src/chat/accounts.ts';
import { systemClock } from '../src/chat/clock.ts';
import { Identity } from '../src/chat/identity.ts';
import { LocalFanout } from '../src/fanout/local-fanout.ts';
import type { Store } from '../src/chat/ports/store.ts';
import { PASSWORD, register, uniqueEmail } from './helpers/accounts.ts';
import { ChatClient, api, guest } from './helpers/clients.ts';
import { upgradeStatus } from './helpers/raw-socket.ts';
import { startTestServer, type TestServer } from './helpers/test-server.ts';
import { waitFor } from './helpers/wait-for.ts';

/**
 * The domain (Identity, Accounts) decides which connections end when tokens
 * end or a guest becomes an account, whatever path called it: here it is
 * called directly, on the server's own store and fan-out, with real sockets.
 */
describe('token revocation and guest sign-in, from the domain', () => {
  let server: TestServer;
  let identity: Identity;
  let accounts: Accounts;

  before(async () => {
    const fanout = new LocalFanout();
    let store: Store | undefined;
    server = await startTestServer({ fanout, wrapStore: (opened) => (store = opened) });
    if (!store) throw new Error('the test server opened no store');
    identity = new Identity({ store, clock: systemClock, fanout });
    accounts = new Accounts({ store, identity, clock: systemClock });
  });
  after(() => server.close());

  const connected = async (token: string): Promise<ChatClient> => {
    const client = await ChatClient.connect(server.url, token);
    await client.join('lobby');
    return client;
  };

  test('revokeAll closes every connection opened with any of the user’s tokens, and the tokens stop authenticating', async () => {
    const ann = await guest(server.url, 'Ann');
    const secondToken = await identity.issueToken(ann.user.id);
    const bob = await guest(server.url, 'Bob');
    const first = await connected(ann.token);
    const second = await connected(secondToken);
    const bystander = await connected(bob.token);

    await identity.revokeAll(ann.user.id);

    for (const client of [first, second]) {
      assert.equal((await client.next('error')).code, 'unauthenticated');
      await waitFor(() => client.closed, { what: 'a connection of a revoked token to close' });
    }
    for (const token of [ann.token, secondToken]) {
      assert.equal((await api(server.url, token, '/me')).status, 401);
      assert.equal(await upgradeStatus(server.url, { token }), 401);
    }
    assert.equal(bystander.closed, false, 'another user’s connection stays');
    assert.equal((await api(server.url, bob.token, '/me')).status, 200);
    bystander.close();
  });

  test('a guest registering through Accounts: its connections are asked to reconnect and closed, its token ends', async () => {
    const gus = await guest(server.url, 'Gus');
    const socket = await connected(gus.token);

    const signed = await accounts.register({ email: uniqueEmail('domain'), password: PASSWORD, name: 'Gus' }, gus.user);

    assert.equal((await socket.next('reconnect')).reason, 'signed in');
    await waitFor(() => socket.closed, { what: 'the guest connection to close' });
    assert.equal((await api(server.url, gus.token, '/me')).status, 401);
    // Back with the account's credentials, the same id, now an account.
    const again = await connected(signed.token);
    assert.deepEqual((await api(server.url, signed.token, '/me')).body.user, signed.user);
    assert.equal(signed.user.id, gus.user.id);
    again.close();
  });

  test('a guest logging in to an account through Accounts: its connections are asked to reconnect and closed', async () => {
    const email = uniqueEmail('merge');
    const account = await register(server.url, { email, name: 'Acc' });
    const owner = await connected(account.token);
    const gus = await guest(server.url, 'Gus');
    const socket = await connected(gus.token);

    await accounts.login({ email, password: PASSWORD }, gus.user);

    assert.equal((await socket.next('reconnect')).reason, 'signed in');
    await waitFor(() => socket.closed, { what: 'the merged guest connection to close' });
    assert.equal(owner.closed, false, 'the account’s own connection stays');
    owner.close();
  });
});
