import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ChatClient, api, guest } from './helpers/clients.ts';
import { PgRedisCluster } from './helpers/pg-redis-cluster.ts';
import type { SpawnedServer } from './helpers/test-server.ts';
import { waitFor } from './helpers/wait-for.ts';

/** Two node processes on PostgreSQL + Redis; snapshots every second, so a killed node's users expire in ~3 s. */
describe('presence across two nodes (PostgreSQL, Redis)', () => {
  let cluster: PgRedisCluster;
  let a: SpawnedServer;
  let b: SpawnedServer;

  before(async () => {
    cluster = await PgRedisCluster.start('presence', 0);
    [a, b] = await Promise.all([
      cluster.spawnNode({ PRESENCE_SNAPSHOT_S: '1' }),
      cluster.spawnNode({ PRESENCE_SNAPSHOT_S: '1' }),
    ]);
    cluster.nodes.push(a, b);
  });
  after(() => cluster.stop());

  const statusOn = async (node: SpawnedServer, token: string, userId: string) =>
    (await api(node.url, token, `/presence?ids=${userId}`)).body.presence[userId] as string;

  test("a user connected to node A is online on node B, live and by HTTP; closing A's connection makes it offline on B", async () => {
    const [ann, bob] = await Promise.all([guest(a.url, 'Ann'), guest(b.url, 'Bob')]);
    const onB = await ChatClient.connect(b.url, bob.token);
    await onB.join('across', 'public');
    const onA = await ChatClient.connect(a.url, ann.token);
    await onA.join('across');
    onA.send({ type: 'activity', visible: true });
    const last = () =>
      onB
        .of('presence')
        .filter((f) => f.userId === ann.user.id)
        .at(-1)?.status;
    await waitFor(() => last() === 'online', { what: 'ann online on node B', timeoutMs: 10_000 });
    assert.equal(await statusOn(b, bob.token, ann.user.id), 'online');
    const members = await api(b.url, bob.token, '/rooms/across/members');
    const annThere = (members.body.members as Array<{ user: { id: string }; status: string }>).find(
      (m) => m.user.id === ann.user.id,
    );
    assert.equal(annThere?.status, 'online');

    onA.close();
    await waitFor(() => last() === 'offline', { what: 'ann offline on node B', timeoutMs: 10_000 });
    assert.equal(await statusOn(b, bob.token, ann.user.id), 'offline');
    onB.close();
  });

  test("killing node A makes its users offline on node B (A's snapshots stop, B expires them)", async () => {
    const [cat, dan] = await Promise.all([guest(a.url, 'Cat'), guest(b.url, 'Dan')]);
    const onB = await ChatClient.connect(b.url, dan.token);
    await onB.join('killed', 'public');
    const onA = await ChatClient.connect(a.url, cat.token);
    await onA.join('killed');
    onA.send({ type: 'activity', visible: true });
    const last = () =>
      onB
        .of('presence')
        .filter((f) => f.userId === cat.user.id)
        .at(-1)?.status;
    await waitFor(() => last() === 'online', { what: 'cat online on node B', timeoutMs: 10_000 });
    await a.stop('SIGKILL');
    await waitFor(() => last() === 'offline', { what: 'cat offline on node B after A died', timeoutMs: 15_000 });
    assert.equal(await statusOn(b, dan.token, cat.user.id), 'offline');
    onB.close();
  });
});
