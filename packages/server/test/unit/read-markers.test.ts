import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ChatError } from '../../src/chat/chat-error.ts';
import { domain, textFrame } from './domain.ts';

describe('read markers in the domain, on the memory store', () => {
  test("a marker that moves is published to the user's connections but the asking one; one that does not, is not", async () => {
    const d = domain();
    const ann = await d.guest('ann');
    await d.join(ann, 'lobby');
    for (let i = 0; i < 3; i++) await d.chat.send(ann, textFrame('lobby'));
    d.fanout.take();
    await d.chat.markRead(ann, 'lobby', 2, 'spark-1');
    assert.deepEqual(d.fanout.take(), [
      { to: 'user', userId: ann.id, frame: { type: 'read', room: 'lobby', seq: 2 }, exceptConnection: 'spark-1' },
    ]);
    await d.chat.markRead(ann, 'lobby', 2, 'spark-2');
    await d.chat.markRead(ann, 'lobby', 1, 'spark-2');
    assert.deepEqual(d.fanout.take(), [], 'not moved: no one told');
  });

  test("a seq past the room's last is clamped to it; join and rooms() report the marker", async () => {
    const d = domain();
    const ann = await d.guest('ann');
    await d.join(ann, 'lobby');
    await d.chat.send(ann, textFrame('lobby'));
    await d.chat.markRead(ann, 'lobby', 99);
    assert.equal((await d.join(ann, 'lobby')).readSeq, 1);
    const lobby = (await d.chat.rooms(ann)).find((r) => r.name === 'lobby');
    assert.deepEqual([lobby?.readSeq, lobby?.unread, lobby?.mentions], [1, 0, 0]);
  });

  test('a room the user may not read is refused, private or missing alike, and nothing is stored', async () => {
    const d = domain();
    const [ann, bob] = [await d.guest('ann'), await d.guest('bob')];
    await d.join(bob, 'secret');
    await d.chat.send(bob, textFrame('secret'));
    for (const room of ['secret', 'nowhere'])
      await assert.rejects(
        d.chat.markRead(ann, room, 1),
        (err: unknown) => err instanceof ChatError && err.code === 'forbidden',
      );
    assert.equal(await d.store.readSeq(ann.id, 'secret'), 0);
  });
});
