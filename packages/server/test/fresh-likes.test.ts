import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FreshLikes, type LikesFrame } from '../src/transport/fresh-likes.ts';

const frame = (messageId: string, likes: string[]): LikesFrame => ({ type: 'likes', room: 'r', messageId, likes });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test('frames of one message go out in arrival order, each with the list read after the one before went out', async () => {
  // Bob's like is stored 10 ms in, while the first frame's (slow) read is under way.
  let stored = ['ann'];
  setTimeout(() => (stored = ['ann', 'bob']), 10);
  let reads = 0;
  const fresh = new FreshLikes(async () => {
    const at = [...stored];
    await sleep(reads++ === 0 ? 30 : 0);
    return at;
  });
  const sent: Array<[string, string[]]> = [];
  const first = fresh.refresh(frame('m1', ['ann']), (f) => sent.push(['first', f.likes]));
  const second = fresh.refresh(frame('m1', ['ann', 'bob']), (f) => sent.push(['second', f.likes]));
  await Promise.all([first, second]);
  assert.deepEqual(sent, [
    ['first', ['ann']],
    ['second', ['ann', 'bob']],
  ]);
});

test('frames of different messages do not wait for each other', async () => {
  const fresh = new FreshLikes(async (_room, messageId) => {
    await sleep(messageId === 'slow' ? 50 : 0);
    return [messageId];
  });
  const sent: string[] = [];
  const slow = fresh.refresh(frame('slow', []), (f) => sent.push(f.messageId));
  await fresh.refresh(frame('quick', []), (f) => sent.push(f.messageId));
  assert.deepEqual(sent, ['quick']);
  await slow;
  assert.deepEqual(sent, ['quick', 'slow']);
});

test('when the read fails or finds no message, the frame goes out as it came', async () => {
  const fresh = new FreshLikes(async (_room, messageId) => {
    if (messageId === 'broken') throw new Error('database away');
    return undefined;
  });
  const sent: LikesFrame[] = [];
  await fresh.refresh(frame('broken', ['ann']), (f) => sent.push(f));
  await fresh.refresh(frame('gone', ['bob']), (f) => sent.push(f));
  assert.deepEqual(
    sent.map((f) => f.likes),
    [['ann'], ['bob']],
  );
});
