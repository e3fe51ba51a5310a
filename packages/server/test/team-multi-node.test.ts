import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { PASSWORD, register, uniqueEmail } from './helpers/accounts.ts';
import { ChatClient, api } from './helpers/clients.ts';
import { PgRedisCluster } from './helpers/pg-redis-cluster.ts';
import { waitFor } from './helpers/wait-for.ts';

/**
 * Deactivation and bans across nodes (two node processes, PostgreSQL,
 * Redis): an admin acting on one node ends the user's sessions and
 * subscriptions on every node.
 */
describe('running a team on two nodes (PostgreSQL + Redis)', () => {
  let cluster: PgRedisCluster;
  let first: string;
  let second: string;

  before(async () => {
    cluster = await PgRedisCluster.start('teamnodes', 2);
    [first, second] = cluster.nodes.map((n) => n.url) as [string, string];
  });
  after(() => cluster.stop());

  /** A cookie session from a login on `url`, as a browser would hold it. */
  const cookieOf = async (url: string, email: string) => {
    const response = await fetch(`${url}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: PASSWORD }),
    });
    assert.equal(response.status, 200);
    const cookie = response.headers.getSetCookie()[0]?.split(';')[0];
    if (!cookie) throw new Error('no session cookie');
    return { cookie, token: cookie.slice(cookie.indexOf('=') + 1) };
  };

  test('deactivate on one node: within a second every socket of the user closes on both nodes, token and cookie get 401', async () => {
    const admin = await register(first, { email: uniqueEmail('admin'), name: 'Admin' });
    assert.equal(admin.user.admin, true);
    const email = uniqueEmail('dee');
    const dee = await register(second, { email, name: 'Dee' });
    const session = await cookieOf(first, email);
    const onFirst = await ChatClient.connect(first, dee.token);
    const onSecond = await ChatClient.connect(second, session.token);
    await Promise.all([onFirst.join('lobby'), onSecond.join('lobby')]);

    assert.equal(
      (await api(first, admin.token, `/admin/users/${dee.user.id}/deactivate`, { method: 'POST' })).status,
      204,
    );

    for (const socket of [onFirst, onSecond]) {
      await waitFor(() => socket.closed, { timeoutMs: 1000, what: 'a socket of the deactivated user to close' });
    }
    for (const url of [first, second]) {
      assert.equal((await api(url, dee.token, '/me')).status, 401, `token on ${url}`);
      assert.equal((await fetch(`${url}/me`, { headers: { cookie: session.cookie } })).status, 401, `cookie on ${url}`);
    }
    assert.equal((await api(second, admin.token, '/me')).status, 200, 'the admin stays signed in');
  });

  test('a ban made on one node unsubscribes the user’s socket on the other', async () => {
    const owner = await register(first, { email: uniqueEmail('owner'), name: 'Owner' });
    const member = await register(second, { email: uniqueEmail('member'), name: 'Member' });
    const room = 'team-nodes-public';
    const o = await ChatClient.connect(first, owner.token);
    await o.join(room, 'public');
    const m = await ChatClient.connect(second, member.token);
    await m.join(room);

    const ban = await api(first, owner.token, `/rooms/${room}/bans`, {
      method: 'POST',
      body: JSON.stringify({ userId: member.user.id }),
    });
    assert.equal(ban.status, 201);
    assert.equal((await m.next('left', (f) => f.room === room, 1000)).reason, 'banned');
    m.send({ type: 'join', room, id: 'again' });
    assert.equal((await m.next('error', (f) => f.id === 'again')).code, 'forbidden');
    o.close();
    m.close();
  });

  test('a role changed on one node reaches every socket of that user on both nodes, and no one else', async () => {
    const owner = await register(first, { email: uniqueEmail('owner'), name: 'Owner' });
    const member = await register(second, { email: uniqueEmail('member'), name: 'Member' });
    const other = await register(first, { email: uniqueEmail('other'), name: 'Other' });
    const room = 'team-nodes-roles';
    const o = await ChatClient.connect(first, owner.token);
    await o.join(room, 'public');
    const sockets = [await ChatClient.connect(first, member.token), await ChatClient.connect(second, member.token)];
    await Promise.all(sockets.map((s) => s.join(room)));
    const bystander = await ChatClient.connect(second, other.token);
    await bystander.join(room);

    const path = `/rooms/${room}/moderators/${member.user.id}`;
    assert.equal((await api(first, owner.token, path, { method: 'PUT' })).status, 204);
    for (const s of sockets) assert.equal((await s.next('role', (f) => f.room === room)).role, 'moderator');
    assert.equal((await api(first, owner.token, path, { method: 'DELETE' })).status, 204);
    for (const s of sockets) assert.equal((await s.next('role', (f) => f.role === 'member')).room, room);
    // Asking again for what is so already changes nothing, and tells nothing.
    assert.equal((await api(first, owner.token, path, { method: 'DELETE' })).status, 204);
    await sockets[0]?.join('team-nodes-roles-sync');
    assert.deepEqual(
      sockets.map((s) => s.of('role').length),
      [2, 2],
    );
    assert.deepEqual(bystander.of('role'), [], 'the other member is told nothing');
    assert.deepEqual(o.of('role'), [], 'nor the owner');
    for (const s of [o, bystander, ...sockets]) s.close();
  });
});
