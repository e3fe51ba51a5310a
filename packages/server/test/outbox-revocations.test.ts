import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { Redis } from 'ioredis';
import type pg from 'pg';
import type { AuthAnswer } from '@pockychat/protocol';
import { register, uniqueEmail } from './helpers/accounts.ts';
import { ChatClient, api, guest } from './helpers/clients.ts';
import type { PgRedisCluster } from './helpers/pg-redis-cluster.ts';
import { HOLD, outboxCluster } from './helpers/outbox-cluster.ts';
import type { SpawnedServer } from './helpers/test-server.ts';
import { waitFor } from './helpers/wait-for.ts';

const CHANNEL = 'pockychat:deliveries';
/** The grace period (3 s) and a sweep (every second), with room for a loaded machine. */
const SWEPT_WITHIN_MS = 15_000;

/**
 * The deliveries that take a permission away (a ban, a removal, a
 * deactivation) are in the outbox too: committed by a node that is killed
 * before it publishes them, they still reach the other nodes' connections,
 * once.
 */
describe('outbox: bans, removals and deactivations of a node that died between its commit and its publish', () => {
  const outbox = outboxCluster('outbox_revocations');
  const { spawn, outboxIds } = outbox;
  let cluster: PgRedisCluster;
  let live: SpawnedServer;
  let db: pg.Client;
  before(() => {
    ({ cluster, live, db } = outbox);
  });
  const spawnHeld = () => spawn(HOLD);

  /** Ann (the room's owner) on `held`; Bob and Cat on the live node, all three in `room`. */
  async function threeIn(held: SpawnedServer, room: string, visibility: 'public' | 'private') {
    const [ann, bob, cat] = await Promise.all([guest(held.url, 'Ann'), guest(live.url, 'Bob'), guest(live.url, 'Cat')]);
    const a = await ChatClient.connect(held.url, ann.token);
    await a.join(room, visibility);
    if (visibility === 'private') {
      for (const invitee of [bob, cat]) {
        const invited = await api(held.url, ann.token, `/rooms/${room}/invites`, {
          method: 'POST',
          body: JSON.stringify({ userId: invitee.user.id }),
        });
        assert.equal(invited.status, 201);
      }
    }
    const b = await ChatClient.connect(live.url, bob.token);
    const c = await ChatClient.connect(live.url, cat.token);
    await Promise.all([b.join(room), c.join(room)]);
    return { ann, bob, a, b, c };
  }

  const ban = (node: SpawnedServer, by: AuthAnswer, room: string, whom: AuthAnswer) =>
    api(node.url, by.token, `/rooms/${room}/bans`, { method: 'POST', body: JSON.stringify({ userId: whom.user.id }) });

  /**
   * Cat says something in the room, then Bob sends there: the answer to Bob
   * comes after anything of Cat's message Bob would get (one node, and Bob's
   * frame leaves after Cat's message was delivered). Bob's answer: refused.
   */
  async function bobHearsNothingAndIsRefused(b: ChatClient, c: ChatClient, room: string): Promise<void> {
    c.send({ type: 'send', room, clientId: 'cat-after', text: 'after' });
    await c.next('message', (f) => f.message.text === 'after');
    b.send({ type: 'send', room, clientId: 'bob-after', text: 'still here?' });
    assert.equal((await b.next('error', (f) => f.ref === 'bob-after')).code, 'forbidden');
    assert.equal(b.of('message').filter((f) => f.message.room === room).length, 0, 'nothing of the room after');
    assert.equal(b.of('ack').length, 0, 'no send of Bob was stored');
  }

  test('a ban committed by a node killed before its publish: the banned socket on another node leaves once, hears nothing more, and its sends are refused meanwhile', async () => {
    const held = await spawnHeld();
    const room = 'banned-behind';
    const { ann, bob, b, c } = await threeIn(held, room, 'public');
    assert.equal((await ban(held, ann, room, bob)).status, 201);
    // Before any sweep, the live node already refuses the banned user's sends (its mutes-and-bans read).
    b.send({ type: 'send', room, clientId: 'bob-during', text: 'before the sweep' });
    const refused = await b.next('error', (f) => f.ref === 'bob-during');
    assert.equal(refused.code, 'forbidden');
    assert.match(refused.message, /banned/);

    await held.stop('SIGKILL');
    const [rowId] = await outboxIds();
    assert.match(rowId ?? '', /^d:/, 'the ban left its delivery in the outbox');
    assert.deepEqual(await b.next('left', (f) => f.room === room, SWEPT_WITHIN_MS), {
      type: 'left',
      room,
      reason: 'banned',
    });
    await waitFor(async () => (await outboxIds()).length === 0, { what: 'the swept row deleted' });
    await bobHearsNothingAndIsRefused(b, c, room);
    assert.equal(b.of('left').length, 1, 'left once');
    assert.equal(b.closed, false, 'the connection stayed open');
    b.close();
    c.close();
  });

  test('a removal committed by a node killed before its publish: the removed socket on another node leaves once and hears nothing more', async () => {
    const held = await spawnHeld();
    const room = 'removed-behind';
    const { ann, bob, b, c } = await threeIn(held, room, 'private');
    assert.equal(
      (await api(held.url, ann.token, `/rooms/${room}/members/${bob.user.id}`, { method: 'DELETE' })).status,
      204,
    );
    await held.stop('SIGKILL');
    assert.equal((await outboxIds()).length, 1, 'the removal left its delivery in the outbox');

    assert.deepEqual(await b.next('left', (f) => f.room === room, SWEPT_WITHIN_MS), {
      type: 'left',
      room,
      reason: 'removed',
    });
    await waitFor(async () => (await outboxIds()).length === 0, { what: 'the swept row deleted' });
    await bobHearsNothingAndIsRefused(b, c, room);
    assert.equal(await b.joinAnswer(room), 'forbidden', 'a private room, no longer a member');
    assert.equal(b.of('left').length, 1, 'left once');
    b.close();
    c.close();
  });

  test('a deactivation committed by a node killed before its publish: the user’s socket on another node is closed', async () => {
    const held = await spawnHeld();
    const admin = await register(held.url, { email: uniqueEmail('admin'), name: 'Admin' });
    assert.equal(admin.user.admin, true, 'the first account');
    const dee = await register(live.url, { email: uniqueEmail('dee'), name: 'Dee' });
    const d = await ChatClient.connect(live.url, dee.token);
    await d.join('lobby');
    assert.equal(
      (await api(held.url, admin.token, `/admin/users/${dee.user.id}/deactivate`, { method: 'POST' })).status,
      204,
    );
    await held.stop('SIGKILL');
    assert.equal((await outboxIds()).length, 1, 'its one token’s closing left in the outbox');

    await waitFor(() => d.closed, { timeoutMs: SWEPT_WITHIN_MS, what: 'the deactivated user’s socket to close' });
    assert.equal(d.of('error').find((f) => f.code === 'unauthenticated')?.message, 'signed out');
    assert.equal((await api(live.url, dee.token, '/me')).status, 401);
    await waitFor(async () => (await outboxIds()).length === 0, { what: 'the swept row deleted' });
  });

  test('a ban published twice by hand, then swept, reaches each of the user’s sockets once', async () => {
    const held = await spawnHeld();
    const room = 'banned-twice';
    const { ann, bob, b, c } = await threeIn(held, room, 'public');
    // Bob on the held node too: it delivered the ban to him itself; what comes from Redis after is dropped there.
    const bHeld = await ChatClient.connect(held.url, bob.token);
    await bHeld.join(room);
    await c.join('banned-twice-marker', 'public');
    await bHeld.join('banned-twice-marker');
    assert.equal((await ban(held, ann, room, bob)).status, 201);
    const { rows } = await db.query<{ delivery: string }>('select delivery from outbox');
    assert.equal(rows.length, 1);
    // What the held node would publish if it were only slow, twice (its backlog replayed after an outage)...
    const envelope = JSON.stringify({ node: 'slow', deliveries: [JSON.parse(rows[0]?.delivery ?? '')] });
    const redis = new Redis(cluster.redis.url);
    await redis.publish(CHANNEL, envelope);
    await redis.publish(CHANNEL, envelope);
    redis.disconnect();
    // ... and, after the grace period, the live node's sweeper publishes the row as well.
    await waitFor(async () => (await outboxIds()).length === 0, { timeoutMs: SWEPT_WITHIN_MS, what: 'the row swept' });
    // The sweep's publish went on Redis before this message: once it is on the held node, so is the sweep's copy.
    c.send({ type: 'send', room: 'banned-twice-marker', clientId: 'marker', text: 'marker' });
    await bHeld.next('message', (f) => f.message.text === 'marker');
    for (const socket of [b, bHeld]) {
      assert.deepEqual(
        socket.of('left').filter((f) => f.room === room),
        [{ type: 'left', room, reason: 'banned' }],
        'left once',
      );
    }
    await bobHearsNothingAndIsRefused(b, c, room);
    for (const socket of [b, bHeld, c]) socket.close();
    await held.stop('SIGKILL');
  });
});
