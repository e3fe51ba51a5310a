import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { api, ChatClient, guest } from './helpers/clients.ts';
import { PgRedisCluster } from './helpers/pg-redis-cluster.ts';

/**
 * Invite links and group DMs across two node processes on one PostgreSQL
 * and one Redis: a link made on one node works (and stops, once revoked) on
 * the other, and a group DM's people hear of it on whichever node they are.
 */
let cluster: PgRedisCluster;
before(async () => {
  cluster = await PgRedisCluster.start('links_multi', 2);
});
after(() => cluster.stop());

test('a link made on node 0 lets in on node 1, and refuses there once revoked on node 0', async () => {
  const [first, second] = cluster.nodes.map((n) => n.url) as [string, string];
  const [ann, bob, cat] = [await guest(first, 'Ann'), await guest(second, 'Bob'), await guest(second, 'Cat')];
  const a = await ChatClient.connect(first, ann.token);
  await a.join('cross-links', 'private');
  const made = await api(first, ann.token, '/rooms/cross-links/links', { method: 'POST', body: '{}' });
  const { code, id } = made.body.link as { code: string; id: string };
  assert.equal((await api(second, bob.token, `/links/${code}/join`, { method: 'POST' })).status, 200);
  const b = await ChatClient.connect(second, bob.token);
  await b.join('cross-links');
  a.send({ type: 'send', room: 'cross-links', clientId: 'x1', text: 'across nodes' });
  assert.equal((await b.next('message', (f) => f.message.room === 'cross-links')).message.text, 'across nodes');

  assert.equal((await api(first, ann.token, `/rooms/cross-links/links/${id}`, { method: 'DELETE' })).status, 204);
  const refused = await api(second, cat.token, `/links/${code}/join`, { method: 'POST' });
  assert.deepEqual([refused.status, refused.body.error.message], [403, 'this invite link was revoked']);
  a.close();
  b.close();
});

test('a group DM started on node 0 reaches its people on node 1 at once, and their messages all three', async () => {
  const [first, second] = cluster.nodes.map((n) => n.url) as [string, string];
  const [ann, bob, cat] = [await guest(first, 'Ann'), await guest(second, 'Bob'), await guest(second, 'Cat')];
  const [a, b, c] = [
    await ChatClient.connect(first, ann.token),
    await ChatClient.connect(second, bob.token),
    await ChatClient.connect(second, cat.token),
  ];
  const made = await api(first, ann.token, '/group-dms', {
    method: 'POST',
    body: JSON.stringify({ userIds: [bob.user.id, cat.user.id] }),
  });
  const room = made.body.room as string;
  for (const socket of [b, c]) assert.deepEqual((await socket.next('invited', (f) => f.room === room)).by, ann.user);
  for (const socket of [a, b, c]) await socket.join(room);
  b.send({ type: 'send', room, clientId: 'g1', text: 'from node 1' });
  for (const socket of [a, b, c])
    assert.equal((await socket.next('message', (f) => f.message.room === room)).message.text, 'from node 1');
  for (const socket of [a, b, c]) socket.close();
});
