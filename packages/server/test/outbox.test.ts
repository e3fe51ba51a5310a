import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { Redis } from 'ioredis';
import type { Message } from '@pockychat/protocol';
import { ChatClient, guest } from './helpers/clients.ts';
import type { PgRedisCluster } from './helpers/pg-redis-cluster.ts';
import { HOLD, outboxCluster } from './helpers/outbox-cluster.ts';
import type { SpawnedServer } from './helpers/test-server.ts';
import { waitFor } from './helpers/wait-for.ts';

const CHANNEL = 'pockychat:deliveries';

/**
 * The transactional outbox: a message committed by a node that never
 * published it on Redis still reaches the other nodes' live clients, once.
 */
describe('outbox: messages of a node that died between its commit and its publish', () => {
  const outbox = outboxCluster('outbox');
  const { spawn, outboxIds } = outbox;
  let cluster: PgRedisCluster;
  let live: SpawnedServer;
  before(() => {
    ({ cluster, live } = outbox);
  });

  /** Ann on `annNode`, Bob on the live node, both in `room`; counts Bob's socket opening again. */
  async function annOnAndBobOnLive(annNode: SpawnedServer, room: string) {
    const [ann, bob] = await Promise.all([guest(annNode.url, 'Ann'), guest(live.url, 'Bob')]);
    const a = await ChatClient.connect(annNode.url, ann.token);
    const b = await ChatClient.connect(live.url, bob.token);
    const reopened = { count: 0 };
    b.socket.on('open', () => reopened.count++);
    await a.join(room, 'public');
    await b.join(room);
    return { a, b, reopened };
  }

  /** Bob's own message, once it is back: everything sent before it on Redis has been handled. */
  async function marker(b: ChatClient, room: string, clientId: string): Promise<void> {
    b.send({ type: 'send', room, clientId, text: clientId });
    await b.next('message', (f) => f.message.text === clientId);
  }

  const copiesOf = (c: ChatClient, id: string) => c.of('message').filter((f) => f.message.id === id).length;

  test('a message acked by a node killed before its publish reaches a live client of another node once, on the same connection', async () => {
    const held = await spawn(HOLD);
    const { a, b, reopened } = await annOnAndBobOnLive(held, 'left-behind');
    a.send({ type: 'send', room: 'left-behind', clientId: 'k1', text: 'committed, never published' });
    const { message } = await a.next('ack');
    await held.stop('SIGKILL');
    assert.deepEqual(await outboxIds(), [message.id], 'the commit left its outbox row');

    const delivered = await b.next('message', (f) => f.message.id === message.id, 15_000);
    assert.deepEqual(delivered.message, message);
    await waitFor(async () => (await outboxIds()).length === 0, { what: 'the swept row deleted' });
    await marker(b, 'left-behind', 'b-after');
    assert.equal(copiesOf(b, message.id), 1, 'delivered once');
    assert.equal(b.closed, false, 'the connection stayed open');
    assert.equal(reopened.count, 0, 'and was never reopened');
    b.close();
  });

  test('an edit and a reaction acked by a node killed before its publish reach a live client of another node as updated', async () => {
    const held = await spawn(HOLD);
    const { a, b } = await annOnAndBobOnLive(held, 'changed-behind');
    a.send({ type: 'send', room: 'changed-behind', clientId: 'u1', text: 'to be changed' });
    const { message } = await a.next('ack');
    a.send({ type: 'edit', id: 'e', room: 'changed-behind', messageId: message.id, text: 'changed, never published' });
    await a.next('ok', (f) => f.id === 'e');
    a.send({ type: 'react', id: 'r', room: 'changed-behind', messageId: message.id, emoji: '👍' });
    await a.next('ok', (f) => f.id === 'r');
    await held.stop('SIGKILL');
    assert.equal((await outboxIds()).length, 3, 'the message and each change left a row');

    const updated = await b.next('updated', (f) => f.message.id === message.id, 15_000);
    assert.equal(updated.message.text, 'changed, never published');
    assert.equal(updated.message.rev, message.rev + 2, 'the latest state');
    await waitFor(async () => (await outboxIds()).length === 0, { timeoutMs: 15_000, what: 'the swept rows deleted' });
    b.close();
  });

  test('a message published twice (a slow node and a sweeper, a replayed backlog) is delivered once on each node', async () => {
    const held = await spawn(HOLD);
    const { a, b } = await annOnAndBobOnLive(held, 'twice');
    a.send({ type: 'send', room: 'twice', clientId: 't1', text: 'published three times' });
    const { message } = await a.next('ack');
    // What the held node would publish if it were only slow, twice (its backlog replayed after an outage)...
    const envelope = JSON.stringify({
      node: 'slow',
      deliveries: [{ to: 'room', room: 'twice', frame: { type: 'message', message } }],
    });
    const redis = new Redis(cluster.redis.url);
    await redis.publish(CHANNEL, envelope);
    await redis.publish(CHANNEL, envelope);
    redis.disconnect();
    // ... and, after the grace period, the live node's sweeper publishes the row as well.
    await waitFor(async () => (await outboxIds()).length === 0, { timeoutMs: 15_000, what: 'the row swept' });
    await marker(b, 'twice', 'b-after');
    await a.next('message', (f) => f.message.text === 'b-after');
    assert.equal(copiesOf(b, message.id), 1, 'once on the live node');
    assert.equal(copiesOf(a, message.id), 1, 'once on the node that stored it');
    a.close();
    b.close();
    await held.stop('SIGKILL');
  });

  test('a node restarted after a kill -9 publishes what it left in the outbox', async () => {
    // Alone, so that no other node's sweeper takes the row first.
    await live.stop('SIGTERM');
    const held = await spawn(HOLD);
    const ann = await guest(held.url, 'Ann');
    const a = await ChatClient.connect(held.url, ann.token);
    await a.join('restart', 'public');
    a.send({ type: 'send', room: 'restart', clientId: 'r1', text: 'left when killed' });
    const { message } = await a.next('ack');
    await held.stop('SIGKILL');
    assert.deepEqual(await outboxIds(), [message.id]);

    const subscriber = new Redis(cluster.redis.url);
    try {
      const published: Message[] = [];
      subscriber.on('message', (_channel: string, raw: string) => {
        for (const delivery of JSON.parse(raw).deliveries)
          if (delivery.frame.type === 'message') published.push(delivery.frame.message);
      });
      await subscriber.subscribe(CHANNEL);
      await spawn();
      await waitFor(() => published.find((m) => m.id === message.id), {
        timeoutMs: 15_000,
        what: 'the leftover published',
      });
      assert.deepEqual(
        published.filter((m) => m.id === message.id),
        [message],
      );
      await waitFor(async () => (await outboxIds()).length === 0, { what: 'the row deleted after its publish' });
    } finally {
      subscriber.disconnect();
    }
  });
});
