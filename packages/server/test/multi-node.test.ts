import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { register, uniqueEmail } from './helpers/accounts.ts';
import { ChatClient, api, guest } from './helpers/clients.ts';
import { Redis } from 'ioredis';
import { PgRedisCluster } from './helpers/pg-redis-cluster.ts';
import type { SpawnedServer } from './helpers/test-server.ts';
import { waitFor } from './helpers/wait-for.ts';

/** Three node processes sharing one PostgreSQL and one Redis (helpers/pg-redis-cluster.ts). */
describe('multi-node: three nodes, PostgreSQL, Redis', () => {
  let cluster: PgRedisCluster;
  let nodes: SpawnedServer[];

  before(async () => {
    cluster = await PgRedisCluster.start('multinode', 3);
    nodes = cluster.nodes;
  });
  after(() => cluster.stop());

  test('clients on different nodes see each message once, in seq order', async () => {
    const users = await Promise.all(['Ann', 'Bob', 'Cat'].map((name, i) => guest(nodes[i]!.url, name)));
    const clients = await Promise.all(users.map((u, i) => ChatClient.connect(nodes[i]!.url, u.token)));
    for (const c of clients) await c.join('lobby');
    const perClient = 20;
    clients.forEach((c, i) => {
      for (let k = 0; k < perClient; k++)
        c.send({ type: 'send', room: 'lobby', clientId: `n${i}-${k}`, text: `from ${i}: ${k}` });
    });
    const total = perClient * clients.length;
    for (const c of clients)
      await waitFor(() => c.of('message').length >= total, { timeoutMs: 15_000, what: 'every message' });
    await new Promise((r) => setTimeout(r, 200));
    for (const c of clients) {
      const seqs = c.of('message').map((f) => f.message.seq);
      assert.equal(seqs.length, total, 'each message once');
      assert.deepEqual(
        [...seqs].sort((a, b) => a - b),
        Array.from({ length: total }, (_, i) => i + 1),
        'gap-free seq across nodes',
      );
    }
    const history = await api(nodes[0]!.url, users[0]!.token, '/history?room=lobby&limit=500');
    assert.equal(history.body.messages.length, total);
    for (const c of clients) c.close();
  });

  test('a file uploaded on one node downloads from another (shared uploads directory); /metrics counts', async () => {
    const ann = await guest(nodes[0]!.url, 'Ann');
    const bytes = Buffer.from('hello from node 0\n');
    const upload = await fetch(`${nodes[0]!.url}/rooms/lobby/files?clientId=file1&name=hello.txt`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ann.token}`, 'content-type': 'text/plain' },
      body: bytes,
    });
    assert.equal(upload.status, 201);
    const { message } = (await upload.json()) as { message: { file: { url: string } } };
    const download = await fetch(`${nodes[2]!.url}${message.file.url}`, {
      headers: { authorization: `Bearer ${ann.token}` },
    });
    assert.equal(download.status, 200);
    assert.deepEqual(Buffer.from(await download.arrayBuffer()), bytes);
    const metrics = await (await fetch(`${nodes[0]!.url}/metrics`)).text();
    assert.match(metrics, /^pockychat_connections \d+$/m);
    assert.match(metrics, /^pockychat_messages_total \d+$/m);
    assert.match(metrics, /pockychat_fanout_latency_seconds_bucket/);
  });

  test('likes, typing and invites cross nodes; a removed member is unsubscribed on every node', async () => {
    const [ann, bob] = await Promise.all([guest(nodes[0]!.url, 'Ann'), guest(nodes[1]!.url, 'Bob')]);
    const a = await ChatClient.connect(nodes[0]!.url, ann.token);
    const b = await ChatClient.connect(nodes[1]!.url, bob.token);
    await a.join('crew');
    const invited = await api(nodes[0]!.url, ann.token, '/rooms/crew/invites', {
      method: 'POST',
      body: JSON.stringify({ userId: bob.user.id }),
    });
    assert.equal(invited.status, 201);
    assert.equal((await b.next('invited')).room, 'crew');
    await b.join('crew');
    a.send({ type: 'send', room: 'crew', clientId: 'x1', text: 'hi' });
    const { message } = await b.next('message');
    b.send({ type: 'like', room: 'crew', messageId: message.id });
    assert.deepEqual((await a.next('likes')).likes, [bob.user.id]);
    b.send({ type: 'typing', room: 'crew' });
    assert.equal((await a.next('typing')).user.id, bob.user.id);

    const removed = await api(nodes[0]!.url, ann.token, `/rooms/crew/members/${bob.user.id}`, { method: 'DELETE' });
    assert.equal(removed.status, 204);
    await b.next('left', (f) => f.room === 'crew');
    a.send({ type: 'send', room: 'crew', clientId: 'x2', text: 'after removal' });
    await a.next('message', (f) => f.message.text === 'after removal');
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(b.of('message').filter((f) => f.message.room === 'crew').length, 1);
    a.close();
    b.close();
  });

  test('a guest who registers on one node: its connection on another is asked to reconnect and closed; logout too', async () => {
    const gus = await guest(nodes[0]!.url, 'Gus');
    const elsewhere = await ChatClient.connect(nodes[1]!.url, gus.token);
    await elsewhere.join('lobby');
    const account = await register(nodes[0]!.url, { email: uniqueEmail('nodes'), name: 'Gus' }, gus.token);
    assert.equal((await elsewhere.next('reconnect')).reason, 'signed in');
    await waitFor(() => elsewhere.closed, { what: 'the guest connection on the other node to close' });
    assert.equal((await api(nodes[1]!.url, gus.token, '/me')).status, 401);

    const back = await ChatClient.connect(nodes[1]!.url, account.token);
    await back.join('lobby');
    assert.equal((await api(nodes[0]!.url, account.token, '/auth/logout', { method: 'POST' })).status, 204);
    assert.equal((await back.next('error')).code, 'unauthenticated');
    await waitFor(() => back.closed, { what: 'the signed-out connection on the other node to close' });
  });

  test('an edit, a reaction and a delete on one node reach the other node as updated, each once, in rev order', async () => {
    const { ann, a, b } = await cluster.annAndBob('changes-cross');
    a.send({ type: 'send', room: 'changes-cross', clientId: 'x1', text: 'to change' });
    const { message } = await a.next('ack');
    // Each after the one before is done: frames of one connection are handled concurrently.
    const change = async (frame: Record<string, string> & { id: string }) => {
      a.send({ ...frame, room: 'changes-cross', messageId: message.id });
      await a.next('ok', (f) => f.id === frame.id);
    };
    await change({ type: 'edit', id: 'e', text: 'changed' });
    await change({ type: 'react', id: 'r', emoji: '🎉' });
    await change({ type: 'delete', id: 'd' });
    const updates = () => b.of('updated').filter((f) => f.message.id === message.id);
    await waitFor(() => updates().some((f) => f.message.deleted), { what: 'the delete on the other node' });
    const revs = updates().map((f) => f.message.rev);
    assert.deepEqual(revs, [message.rev + 1, message.rev + 2, message.rev + 3]);
    assert.deepEqual(
      updates().map((f) => [f.message.text, f.message.reactions]),
      [
        ['changed', {}],
        ['changed', { '🎉': [ann.user.id] }],
        ['', {}],
      ],
    );
    a.close();
    b.close();
  });

  test('a likes frame that comes late (a backlog replayed after a Redis outage) goes out with the list as stored', async () => {
    const { ann, a, b } = await cluster.annAndBob('late-likes');
    a.send({ type: 'send', room: 'late-likes', clientId: 'l1', text: 'like me' });
    const { message } = await a.next('ack');
    a.send({ type: 'like', room: 'late-likes', messageId: message.id });
    const likesOf = (c: ChatClient) => c.of('likes').filter((f) => f.messageId === message.id);
    await waitFor(() => likesOf(b).length === 1, { what: 'the like on the other node' });
    assert.deepEqual(likesOf(b)[0]!.likes, [ann.user.id]);

    // What a node that lost Redis for a while replays once it is back: the list before the like.
    const redis = new Redis(cluster.redis.url);
    const stale = { type: 'likes', room: 'late-likes', messageId: message.id, likes: [] };
    const envelope = { node: 'replaying', deliveries: [{ to: 'room', room: 'late-likes', frame: stale }] };
    await redis.publish('pockychat:deliveries', JSON.stringify(envelope));
    redis.disconnect();
    await waitFor(() => likesOf(a).length === 2 && likesOf(b).length === 2, { what: 'the late frame on both nodes' });
    for (const c of [a, b])
      assert.deepEqual(likesOf(c)[1]!.likes, [ann.user.id], 'the list as stored, not the stale one');
    a.close();
    b.close();
  });
});
