import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { RoomSummary } from '@pockychat/protocol';
import { ChatClient, api, guest } from './helpers/clients.ts';
import { PgRedisCluster } from './helpers/pg-redis-cluster.ts';
import type { SpawnedServer } from './helpers/test-server.ts';

/** A read marker set on one node reaches the same user's connections on the other (PostgreSQL + Redis). */
describe('read markers: two nodes, PostgreSQL, Redis', () => {
  let cluster: PgRedisCluster;
  let nodes: SpawnedServer[];

  before(async () => {
    cluster = await PgRedisCluster.start('readmarkers', 2);
    nodes = cluster.nodes;
  });
  after(() => cluster.stop());

  test("a marker set on node A reaches the user's socket on node B, not the sender; both nodes count alike", async () => {
    const [a, b] = nodes as [SpawnedServer, SpawnedServer];
    const ann = await guest(a.url, 'Ann');
    const bob = await guest(b.url, 'Bob');
    const onA = await ChatClient.connect(a.url, ann.token);
    const onB = await ChatClient.connect(b.url, ann.token);
    const bobOnB = await ChatClient.connect(b.url, bob.token);
    await onA.join('rm-nodes', 'public');
    await onB.join('rm-nodes');
    await bobOnB.join('rm-nodes');
    for (let i = 0; i < 4; i++) {
      bobOnB.send({ type: 'send', room: 'rm-nodes', clientId: `n${i}`, text: `hello ${i}` });
      await bobOnB.next('ack', (f) => f.clientId === `n${i}`);
    }
    onA.send({ type: 'read', room: 'rm-nodes', seq: 3, id: 'mark' });
    await onA.next('ok', (f) => f.id === 'mark');
    assert.deepEqual(await onB.next('read', undefined, 10_000), { type: 'read', room: 'rm-nodes', seq: 3 });

    // B's answer back to A shows that anything for A from the first mark would be there by now.
    onB.send({ type: 'read', room: 'rm-nodes', seq: 4, id: 'back' });
    await onA.next('read', (f) => f.seq === 4, 10_000);
    assert.deepEqual(
      onA.of('read').map((f) => f.seq),
      [4],
    );
    assert.equal(bobOnB.of('read').length, 0);
    for (const node of [a, b]) {
      const { body } = await api(node.url, ann.token, '/rooms');
      const room = (body as { rooms: RoomSummary[] }).rooms.find((r) => r.name === 'rm-nodes');
      assert.deepEqual([room?.readSeq, room?.unread, room?.mentions], [4, 0, 0]);
    }
    for (const c of [onA, onB, bobOnB]) c.close();
  });
});
