import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Message } from '@pockychat/protocol';
import { ChatClient, api, guest } from './helpers/clients.ts';
import { startTestServer, type TestServer } from './helpers/test-server.ts';
import { waitFor } from './helpers/wait-for.ts';

const settle = () => new Promise((resolve) => setTimeout(resolve, 150));

/** Seq per room stays gap-free and resends store nothing, with many senders at once. */
describe('concurrent senders', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ env: { RATE_LIMIT_MESSAGES: '1000' } });
  });
  after(() => server.close());

  test('10 connections x 30 messages: each acked once, seq 1..300 with no gap, each delivered once to all', async () => {
    const room = 'busy-room';
    const CONNECTIONS = 10;
    const EACH = 30;
    const TOTAL = CONNECTIONS * EACH;
    // Five users, two connections each.
    const users = await Promise.all(Array.from({ length: 5 }, (_, i) => guest(server.url, `user${i}`)));
    const clients = await Promise.all(
      Array.from({ length: CONNECTIONS }, (_, i) =>
        ChatClient.connect(server.url, (users[i % 5] as { token: string }).token),
      ),
    );
    await clients[0]?.join(room, 'public');
    await Promise.all(clients.slice(1).map((c) => c.join(room)));

    // Every connection sends all its messages at once, interleaved with the others.
    for (let n = 0; n < EACH; n++) {
      clients.forEach((client, c) =>
        client.send({ type: 'send', room, clientId: `c${c}-m${n}`, text: `from ${c}: ${n}` }),
      );
    }
    await waitFor(() => clients.every((c) => c.of('ack').length === EACH), { timeoutMs: 15_000, what: 'every ack' });
    await waitFor(() => clients.every((c) => c.of('message').length >= TOTAL), {
      timeoutMs: 15_000,
      what: `${TOTAL} messages on every connection`,
    });
    await settle();

    clients.forEach((client, c) => {
      assert.equal(client.of('error').length, 0, `connection ${c} got no error`);
      const acks = client.of('ack');
      assert.deepEqual(
        acks.map((a) => a.clientId).sort(),
        Array.from({ length: EACH }, (_, n) => `c${c}-m${n}`).sort(),
        `connection ${c}: one ack per clientId`,
      );
      const received = client.of('message').map((f) => f.message.seq);
      assert.equal(received.length, TOTAL, `connection ${c} got each message once`);
      assert.deepEqual(
        [...received].sort((a, b) => a - b),
        range(1, TOTAL),
      );
      // Fan-out keeps commit order: frames arrive in seq order.
      assert.deepEqual(received, range(1, TOTAL), `connection ${c} got them in seq order`);
    });

    const acked = clients.flatMap((c) => c.of('ack').map((a) => a.message));
    assert.deepEqual(
      acked.map((m) => m.seq).sort((a, b) => a - b),
      range(1, TOTAL),
      'acks hold seq 1..300 once each',
    );

    const answer = await api(server.url, users[0]?.token, `/history?room=${room}&limit=500`);
    const stored = answer.body.messages as Message[];
    assert.deepEqual(
      stored.map((m) => m.seq),
      range(1, TOTAL),
      'history has seq 1..300, no gap, no duplicate',
    );
    assert.equal(new Set(stored.map((m) => m.id)).size, TOTAL, 'ids are unique');
    assert.deepEqual(
      stored.map((m) => m.text).sort(),
      acked.map((m) => m.text).sort(),
      'each clientId stored exactly once',
    );
    // Each stored message is the one its ack described.
    const byId = new Map(acked.map((m) => [m.id, m]));
    for (const message of stored) assert.deepEqual(message, byId.get(message.id));
    for (const client of clients) client.close();
  });

  test('two rooms written at once each keep their own gap-free seq', async () => {
    const ann = await guest(server.url);
    const a = await ChatClient.connect(server.url, ann.token);
    const b = await ChatClient.connect(server.url, ann.token);
    await a.join('room-one', 'public');
    await b.join('room-two', 'public');
    for (let n = 0; n < 40; n++) {
      a.send({ type: 'send', room: 'room-one', clientId: `one-${n}`, text: `${n}` });
      b.send({ type: 'send', room: 'room-two', clientId: `two-${n}`, text: `${n}` });
    }
    await waitFor(() => a.of('ack').length === 40 && b.of('ack').length === 40, { timeoutMs: 15_000 });
    for (const room of ['room-one', 'room-two']) {
      const answer = await api(server.url, ann.token, `/history?room=${room}`);
      assert.deepEqual(
        (answer.body.messages as Message[]).map((m) => m.seq),
        range(1, 40),
        room,
      );
    }
    a.close();
    b.close();
  });

  test('concurrent resends of one clientId from two connections of one user store one message', async () => {
    const room = 'resend-race';
    const ann = await guest(server.url);
    const bob = await guest(server.url, 'Bob');
    const a1 = await ChatClient.connect(server.url, ann.token);
    const a2 = await ChatClient.connect(server.url, ann.token);
    const watcher = await ChatClient.connect(server.url, bob.token);
    await a1.join(room, 'public');
    await a2.join(room);
    await watcher.join(room);

    const ROUNDS = 10;
    const COPIES = 3;
    for (let r = 0; r < ROUNDS; r++) {
      // The same clientId from both connections in the same instant, several times over.
      for (let k = 0; k < COPIES; k++) {
        a1.send({ type: 'send', room, clientId: `race-${r}`, text: `race ${r}` });
        a2.send({ type: 'send', room, clientId: `race-${r}`, text: `race ${r}` });
      }
    }
    await waitFor(() => a1.of('ack').length === ROUNDS * COPIES && a2.of('ack').length === ROUNDS * COPIES, {
      timeoutMs: 15_000,
      what: 'an ack for every copy',
    });
    for (let r = 0; r < ROUNDS; r++) {
      const acks = [...a1.of('ack'), ...a2.of('ack')].filter((a) => a.clientId === `race-${r}`);
      assert.equal(acks.length, 2 * COPIES);
      for (const ack of acks) assert.deepEqual(ack, acks[0], `every copy of race-${r} gets the first ack`);
    }
    await waitFor(() => watcher.of('message').length >= ROUNDS);
    await settle();
    assert.equal(watcher.of('message').length, ROUNDS, 'each message broadcast once');

    const answer = await api(server.url, ann.token, `/history?room=${room}`);
    const stored = answer.body.messages as Message[];
    assert.deepEqual(
      stored.map((m) => m.text),
      Array.from({ length: ROUNDS }, (_, r) => `race ${r}`),
    );
    assert.deepEqual(
      stored.map((m) => m.seq),
      range(1, ROUNDS),
    );
    for (const c of [a1, a2, watcher]) c.close();
  });

  test('the same clientId from two different users is two messages', async () => {
    const room = 'same-id-two-users';
    const ann = await guest(server.url);
    const bob = await guest(server.url, 'Bob');
    const a = await ChatClient.connect(server.url, ann.token);
    const b = await ChatClient.connect(server.url, bob.token);
    await a.join(room, 'public');
    await b.join(room);
    a.send({ type: 'send', room, clientId: 'shared', text: 'from ann' });
    b.send({ type: 'send', room, clientId: 'shared', text: 'from bob' });
    const [ackA, ackB] = [await a.next('ack'), await b.next('ack')];
    assert.notEqual(ackA.message.id, ackB.message.id);
    assert.equal(ackA.message.text, 'from ann');
    assert.equal(ackB.message.text, 'from bob');
    a.close();
    b.close();
  });
});

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}
