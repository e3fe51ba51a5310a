import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ChatClient, api, guest } from './helpers/clients.ts';
import { PgRedisCluster } from './helpers/pg-redis-cluster.ts';
import type { PostgresServer, RedisServer } from './helpers/services.ts';
import type { SpawnedServer } from './helpers/test-server.ts';
import { waitFor } from './helpers/wait-for.ts';

/** Real process kills and restarts of Redis, PostgreSQL and a node, with clients on two nodes. */
describe('faults: Redis, PostgreSQL and nodes going away', () => {
  let pg: PostgresServer;
  let redis: RedisServer;
  let nodes: SpawnedServer[];
  let cluster: PgRedisCluster;

  before(async () => {
    cluster = await PgRedisCluster.start('faults', 2);
    ({ pg, redis, nodes } = cluster);
  });
  after(() => cluster.stop());

  test('without Redis each node serves its own clients; after it returns, the others catch up from history', async () => {
    const { bob, a, b } = await cluster.annAndBob('redis-fault');

    await redis.stop();
    a.send({ type: 'send', room: 'redis-fault', clientId: 'r1', text: 'while redis is down' });
    const ack = await a.next('ack');
    await a.next('message', (f) => f.message.id === ack.message.id);
    assert.equal((await api(nodes[0]!.url, undefined, '/readyz')).status, 503);
    assert.equal((await api(nodes[0]!.url, undefined, '/healthz')).status, 200);

    await redis.start();
    // The node tells its clients to catch up: a fresh `joined` with the room's lastSeq.
    const resync = await b.next('joined', (f) => f.room === 'redis-fault' && f.lastSeq >= ack.message.seq, 15_000);
    const caughtUp = await api(nodes[1]!.url, bob.token, '/history?room=redis-fault&since=0');
    assert.deepEqual(
      caughtUp.body.messages.map((m: { id: string }) => m.id),
      [ack.message.id],
    );
    assert.equal(resync.lastSeq, 1);
    for (const node of nodes) {
      await waitFor(async () => (await api(node.url, undefined, '/readyz')).status === 200, { timeoutMs: 10_000 });
    }
    a.send({ type: 'send', room: 'redis-fault', clientId: 'r2', text: 'redis is back' });
    await b.next('message', (f) => f.message.text === 'redis is back', 10_000);
    a.close();
    b.close();
  });

  test('without PostgreSQL sends are refused with internal, never acked; the node stays up and recovers', async () => {
    const ann = await guest(nodes[0]!.url, 'Ann');
    const a = await ChatClient.connect(nodes[0]!.url, ann.token);
    await a.join('pg-fault', 'public');
    await pg.stop('immediate');
    a.send({ type: 'send', room: 'pg-fault', clientId: 'p1', text: 'while the database is down' });
    const error = await a.next('error', (f) => f.ref === 'p1', 15_000);
    assert.equal(error.code, 'internal');
    assert.equal(a.of('ack').length, 0);
    assert.equal((await api(nodes[0]!.url, undefined, '/readyz')).status, 503);
    assert.equal((await api(nodes[0]!.url, undefined, '/healthz')).status, 200);

    await pg.start();
    await waitFor(
      async () => {
        a.send({ type: 'send', room: 'pg-fault', clientId: 'p1', text: 'while the database is down' });
        await new Promise((r) => setTimeout(r, 300));
        return a.of('ack').length > 0;
      },
      { timeoutMs: 20_000, what: 'the resend to be acked' },
    );
    const history = await api(nodes[0]!.url, ann.token, '/history?room=pg-fault');
    assert.equal(history.body.messages.length, 1, 'the resends stored one message');
    a.close();
  });

  test('a node killed with -9 loses nothing acked: its clients carry on on another node', async () => {
    const ann = await guest(nodes[0]!.url, 'Ann');
    const a = await ChatClient.connect(nodes[0]!.url, ann.token);
    await a.join('kill-fault', 'public');
    for (let i = 0; i < 30; i++) a.send({ type: 'send', room: 'kill-fault', clientId: `k${i}`, text: `m${i}` });
    await waitFor(() => a.of('ack').length >= 10, { timeoutMs: 10_000 });
    await nodes[0]!.stop('SIGKILL');
    const acked = a.of('ack').map((f) => f.message.id);
    const moved = await ChatClient.connect(nodes[1]!.url, ann.token);
    await moved.join('kill-fault');
    // The client resends what was not acked, with the same clientIds.
    for (let i = 0; i < 30; i++) moved.send({ type: 'send', room: 'kill-fault', clientId: `k${i}`, text: `m${i}` });
    await waitFor(() => moved.of('ack').length >= 30, { timeoutMs: 10_000 });
    const history = await api(nodes[1]!.url, ann.token, '/history?room=kill-fault&limit=500');
    const ids = history.body.messages.map((m: { id: string }) => m.id);
    assert.equal(ids.length, 30, 'every message once');
    for (const id of acked) assert.ok(ids.includes(id), 'every acked message is there');
    assert.deepEqual(
      history.body.messages.map((m: { seq: number }) => m.seq),
      Array.from({ length: 30 }, (_, i) => i + 1),
    );
    nodes[0] = await cluster.spawnNode();
    moved.close();
  });
});
