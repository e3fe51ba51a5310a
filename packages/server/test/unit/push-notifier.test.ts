import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dmRoomName, type Message, type User } from '@pockychat/protocol';
import type { PushOutcome, PushSender } from '../../src/chat/ports/push-sender.ts';
import type { PushSubscriptionRecord } from '../../src/chat/ports/push-store.ts';
import { LEVELS_TTL_MS, PushNotifier, payloadOf } from '../../src/chat/push-notifier.ts';
import { MemoryStore } from '../../src/storage/memory/memory-store.ts';

/**
 * The notifier's queue on the in-memory store. The sender stands in for a
 * push service (test/push.test.ts sends to a real one over HTTPS): each
 * push waits until the test lets it go.
 */
class HeldSender implements PushSender {
  readonly publicKey = 'test';
  readonly sent: { endpoint: string; payload: string }[] = [];
  readonly #waiting: (() => void)[] = [];

  async send(subscription: PushSubscriptionRecord, payload: string): Promise<PushOutcome> {
    this.sent.push({ endpoint: subscription.endpoint, payload });
    await new Promise<void>((resolve) => this.#waiting.push(resolve));
    return { status: 'sent' };
  }

  releaseAll(): void {
    for (const resolve of this.#waiting.splice(0)) resolve();
  }
}

const now = '2026-01-01T00:00:00.000Z';

async function setup(options: { concurrency: number; maxQueued: number }) {
  const store = new MemoryStore();
  const ann = await store.createUser({ id: 'ann', name: 'Ann', kind: 'guest', createdAt: now });
  const bob = await store.createUser({ id: 'bob', name: 'Bob', kind: 'guest', createdAt: now });
  const room = dmRoomName(ann.id, bob.id);
  await store.ensureRoom({ name: room, visibility: 'private', ownerId: null, createdAt: now });
  for (const id of [ann.id, bob.id]) await store.addMember(room, id, 'member', now);
  await store.push.savePushSubscription({
    endpoint: 'https://push.example/b',
    userId: bob.id,
    p256dh: 'k',
    auth: 'a',
    createdAt: now,
  });
  const sender = new HeldSender();
  const warnings: string[] = [];
  const notifier = new PushNotifier({
    store,
    sender,
    tabs: { hasVisibleTab: () => false },
    log: { warn: (_, message) => warnings.push(message), debug: () => undefined },
    ...options,
  });
  let n = 0;
  const message = (author: User, text = `m${++n}`): Message => ({
    id: `id${++n}`,
    room,
    seq: n,
    rev: n,
    author,
    text,
    date: now,
    likes: [],
    mentions: [],
    reactions: {},
  });
  return { store, ann, bob, sender, warnings, notifier, message };
}

test('notify only queues: nothing is sent in the turn of the send', async () => {
  const { ann, sender, notifier, message } = await setup({ concurrency: 4, maxQueued: 100 });
  notifier.notify(message(ann));
  assert.equal(sender.sent.length, 0);
  await new Promise((resolve) => setImmediate(resolve));
  await new Promise((resolve) => setTimeout(resolve, 0));
  sender.releaseAll();
  await notifier.idle();
  assert.equal(sender.sent.length, 1);
});

test('at most `concurrency` jobs run at once; past `maxQueued` waiting, new pushes are dropped and logged', async () => {
  const { ann, sender, warnings, notifier, message } = await setup({ concurrency: 1, maxQueued: 2 });
  notifier.notify(message(ann));
  // The first message's job runs and queues its push, which then holds the only slot.
  while (sender.sent.length === 0) await new Promise((resolve) => setImmediate(resolve));
  notifier.notify(message(ann));
  notifier.notify(message(ann));
  notifier.notify(message(ann));
  assert.deepEqual(warnings, ['push queue full: a push was dropped']);
  for (let i = 0; i < 10; i++) await new Promise((resolve) => setImmediate(resolve));
  assert.equal(sender.sent.length, 1, 'one push under way at a time');
  while (sender.sent.length < 3) {
    sender.releaseAll();
    await new Promise((resolve) => setImmediate(resolve));
  }
  sender.releaseAll();
  await notifier.idle();
  assert.equal(sender.sent.length, 3);
});

test('the author is never pushed to; the payload is cut to 200 characters, or neutral without preview', async () => {
  const { bob, sender, notifier, message } = await setup({ concurrency: 4, maxQueued: 100 });
  notifier.notify(message(bob));
  await notifier.idle();
  assert.equal(sender.sent.length, 0);
  const long = message(bob, 'x'.repeat(500));
  assert.equal(payloadOf(long, true).body, `${'x'.repeat(199)}…`);
  assert.equal(payloadOf(long, false).body, 'New message');
  assert.equal(payloadOf(long, true).title, 'Bob');
});

test("a room's levels are read once per LEVELS_TTL_MS; a level set here is read afresh at once", async () => {
  const store = new MemoryStore();
  const ann = await store.createUser({ id: 'ann', name: 'Ann', kind: 'guest', createdAt: now });
  const bob = await store.createUser({ id: 'bob', name: 'Bob', kind: 'guest', createdAt: now });
  await store.ensureRoom({ name: 'town', visibility: 'public', ownerId: null, createdAt: now });
  for (const id of [ann.id, bob.id]) await store.addMember('town', id, 'member', now);
  await store.push.savePushSubscription({
    endpoint: 'https://push.example/b',
    userId: bob.id,
    p256dh: 'k',
    auth: 'a',
    createdAt: now,
  });
  let reads = 0;
  const read = store.push.roomNotificationLevels.bind(store.push);
  store.push.roomNotificationLevels = (room) => {
    reads++;
    return read(room);
  };
  const sent: string[] = [];
  const clock = { at: 0 };
  const notifier = new PushNotifier({
    store,
    sender: { publicKey: 't', send: async (s) => (sent.push(s.endpoint), { status: 'sent' }) },
    tabs: { hasVisibleTab: () => false },
    log: { warn: () => undefined, debug: () => undefined },
    now: () => clock.at,
  });
  let n = 0;
  /** Notifies of a new message; true if that queued a job (idle() waits past a turn). */
  const notified = async (mentions: string[] = []) => {
    const seq = ++n;
    notifier.notify({
      id: `m${seq}`,
      room: 'town',
      seq,
      rev: seq,
      author: ann,
      text: 'hi',
      date: now,
      likes: [],
      mentions,
      reactions: {},
    });
    let idle = false;
    void notifier.idle().then(() => (idle = true));
    await Promise.resolve();
    await Promise.resolve();
    return !idle;
  };
  const post = async (mentions: string[] = []) => {
    await notified(mentions);
    await new Promise((resolve) => setImmediate(resolve));
    await notifier.idle();
  };

  await post();
  assert.equal(await notified(), false, 'the levels kept say nobody is to be told: no job');
  assert.equal(reads, 1, 'the second message reuses the levels');
  assert.equal(sent.length, 0, "bob's default in a named room: mentions only");
  await post([bob.id]);
  assert.equal(sent.length, 1, 'a mention is pushed though the kept levels have no one at all');
  sent.length = 0;

  await store.push.setNotificationLevel(bob.id, 'town', 'all');
  notifier.forgetLevels('town');
  await post();
  assert.equal(reads, 2);
  assert.equal(sent.length, 1, 'the new level applies to the next message');

  clock.at += LEVELS_TTL_MS;
  await post();
  assert.equal(reads, 3, 'read again once the copy is LEVELS_TTL_MS old');
});
