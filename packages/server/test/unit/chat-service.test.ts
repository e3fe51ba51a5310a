import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { dmRoomName } from '@pockychat/protocol';
import { domain, MESSAGES_PER_WINDOW, textFrame, WINDOW_MS } from './domain.ts';

describe('ChatService on the memory store', () => {
  test('joining a new room creates it, private unless asked, with the joiner as owner', async () => {
    const d = domain();
    const ann = await d.guest('ann');
    assert.deepEqual(await d.join(ann, 'fresh'), { lastSeq: 0, lastRev: 0, readSeq: 0 });
    assert.equal((await d.store.findRoom('fresh'))?.visibility, 'private');
    assert.equal(await d.store.memberRole('fresh', ann.id), 'owner');
    await d.join(ann, 'open', 'public');
    assert.equal((await d.store.findRoom('open'))?.visibility, 'public');
  });

  test('a public room takes anyone as a member; a private one refuses a stranger and admits its members', async () => {
    const d = domain();
    const [ann, bob] = [await d.guest('ann'), await d.guest('bob')];
    await d.join(ann, 'open', 'public');
    await d.join(bob, 'open');
    assert.equal(await d.store.memberRole('open', bob.id), 'member');
    await d.join(ann, 'shut', 'private');
    await assert.rejects(d.join(bob, 'shut'), { code: 'forbidden' });
    assert.equal(await d.store.isMember('shut', bob.id), false);
    await d.join(ann, 'shut');
  });

  test('an invitee may join a private room once: the invite is spent on joining', async () => {
    const d = domain();
    const [ann, bob] = [await d.guest('ann'), await d.guest('bob')];
    await d.join(ann, 'shut');
    await d.admin.invite(ann, 'shut', { userId: bob.id });
    await d.join(bob, 'shut');
    assert.equal(await d.store.isMember('shut', bob.id), true);
    assert.equal(await d.store.isInvited('shut', bob.id), false);
  });

  test('a DM room takes its two users, tells the other one, and refuses anyone else or a misordered name', async () => {
    const d = domain();
    const [ann, bob, eve] = [await d.guest('ann'), await d.guest('bob'), await d.guest('eve')];
    const dm = dmRoomName(ann.id, bob.id);
    d.fanout.take();
    await d.join(ann, dm);
    assert.equal(await d.store.isMember(dm, bob.id), true, 'both are members from the start');
    assert.deepEqual(d.fanout.take(), [{ to: 'user', userId: bob.id, frame: { type: 'invited', room: dm, by: ann } }]);
    await d.join(bob, dm);
    await assert.rejects(d.join(eve, dm), { code: 'forbidden' });
    const [low, high] = [ann.id, bob.id].sort() as [string, string];
    await assert.rejects(d.join(ann, `dm:${high}:${low}`), { code: 'bad_request' });
    await assert.rejects(d.join(ann, dmRoomName(ann.id, 'nosuchuser')), { code: 'not_found' });
  });

  test('a DM user who left for good may join again', async () => {
    const d = domain();
    const [ann, bob] = [await d.guest('ann'), await d.guest('bob')];
    const dm = dmRoomName(ann.id, bob.id);
    await d.join(ann, dm);
    await d.admin.remove(bob, dm, bob.id);
    await d.join(bob, dm);
    assert.equal(await d.store.isMember(dm, bob.id), true);
  });

  test('join reads the last seq after subscribing: a message stored meanwhile is counted', async () => {
    const d = domain();
    const ann = await d.guest('ann');
    await d.join(ann, 'lobby');
    const joined = await d.chat.join(ann, 'lobby', undefined, {
      subscribe: async () => void (await d.chat.send(ann, textFrame('lobby'))),
      unsubscribe: async () => {},
    });
    assert.deepEqual(joined, { lastSeq: 1, lastRev: 1, readSeq: 0 });
  });

  test('send stores the message, broadcasts it once and acks it; a resent clientId gets the first ack alone', async () => {
    const d = domain();
    const ann = await d.guest('ann');
    await d.join(ann, 'lobby');
    d.fanout.take();
    const ack = await d.chat.send(ann, { ...textFrame('lobby', 'hello', 'c1'), clientDate: 7 });
    assert.equal(ack.clientId, 'c1');
    assert.equal(ack.clientDate, 7);
    assert.deepEqual([ack.message.seq, ack.message.text, ack.message.author], [1, 'hello', ann]);
    assert.deepEqual(d.fanout.take(), [
      { to: 'room', room: 'lobby', frame: { type: 'message', message: ack.message } },
    ]);
    const again = await d.chat.send(ann, textFrame('lobby', 'hello again', 'c1'));
    assert.deepEqual(again, ack);
    assert.deepEqual(d.fanout.take(), [], 'a resend is not broadcast again');
    assert.equal(await d.chat.lastSeq('lobby'), 1);
  });

  test('past the rate limit a send is refused, a resend of a stored clientId still acked, and the window passes', async () => {
    const d = domain();
    const ann = await d.guest('ann');
    const acks = [];
    for (let i = 0; i < MESSAGES_PER_WINDOW; i++) acks.push(await d.chat.send(ann, textFrame('lobby')));
    await assert.rejects(d.chat.send(ann, textFrame('lobby')), { code: 'rate_limited' });
    const first = acks[0];
    assert.ok(first);
    assert.deepEqual(await d.chat.send(ann, textFrame('lobby', 'x', first.clientId)), first);
    const bob = await d.guest('bob');
    await d.chat.send(bob, textFrame('lobby'));
    d.clock.advance(WINDOW_MS);
    await d.chat.send(ann, textFrame('lobby'));
    assert.equal(await d.chat.lastSeq('lobby'), MESSAGES_PER_WINDOW + 2);
  });

  test('likes: a reader likes once (one likes frame, with its updated), unlikes; an unknown message is not found; a stranger is refused', async () => {
    const d = domain();
    const [ann, bob] = [await d.guest('ann'), await d.guest('bob')];
    const { message } = await d.chat.send(ann, textFrame('lobby'));
    d.fanout.take();
    await d.chat.setLike(bob, 'lobby', message.id, true);
    await d.chat.setLike(bob, 'lobby', message.id, true);
    const liked = { type: 'likes', room: 'lobby', messageId: message.id, likes: [bob.id] } as const;
    const likesFrames = () => d.fanout.take().filter((x) => x.frame.type === 'likes');
    assert.deepEqual(likesFrames(), [{ to: 'room', room: 'lobby', frame: liked }]);
    assert.deepEqual(await d.chat.likesOf('lobby', message.id), [bob.id]);
    await d.chat.setLike(bob, 'lobby', message.id, false);
    assert.deepEqual(likesFrames(), [{ to: 'room', room: 'lobby', frame: { ...liked, likes: [] } }]);
    await assert.rejects(d.chat.setLike(bob, 'lobby', 'no-such-message', true), { code: 'not_found' });
    await d.join(ann, 'shut');
    const { message: secret } = await d.chat.send(ann, textFrame('shut'));
    await assert.rejects(d.chat.setLike(bob, 'shut', secret.id, true), { code: 'forbidden' });
    await assert.rejects(
      d.chat.setLike(bob, 'lobby', secret.id, true),
      { code: 'not_found' },
      'found in its own room only',
    );
    assert.equal(await d.chat.likesOf('lobby', 'no-such-message'), undefined);
  });

  test('typing goes to the others in the room, and is dropped past five in five seconds', async () => {
    const d = domain();
    const ann = await d.guest('ann');
    d.fanout.take();
    for (let i = 0; i < 7; i++) d.chat.typing(ann, 'lobby');
    const frames = d.fanout.take();
    assert.equal(frames.length, 5);
    assert.deepEqual(frames[0], {
      to: 'room',
      room: 'lobby',
      exceptUserId: ann.id,
      frame: { type: 'typing', room: 'lobby', user: ann },
    });
    d.clock.advance(5000);
    d.chat.typing(ann, 'lobby');
    assert.equal(d.fanout.take().length, 1);
  });

  test('history: pages since a seq, before a seq and since a date; a private room only for its members', async () => {
    const d = domain();
    const [ann, bob] = [await d.guest('ann'), await d.guest('bob')];
    await d.join(ann, 'shut');
    for (let i = 0; i < 5; i++) {
      await d.chat.send(ann, textFrame('shut', `m${i + 1}`));
      d.clock.advance(1000);
    }
    const seqs = async (query: Parameters<typeof d.chat.history>[1]) =>
      (await d.chat.history(ann, query)).messages.map((m) => m.seq);
    assert.deepEqual(await seqs({ room: 'shut' }), [1, 2, 3, 4, 5]);
    assert.deepEqual(await seqs({ room: 'shut', since: { seq: 3 } }), [4, 5]);
    assert.deepEqual(await seqs({ room: 'shut', before: 4, limit: 2 }), [2, 3]);
    assert.deepEqual(await seqs({ room: 'shut', since: { date: '2026-01-01T00:00:02.000Z' } }), [4, 5]);
    await assert.rejects(d.chat.history(bob, { room: 'shut' }), { code: 'forbidden' });
    await assert.rejects(d.chat.history(bob, { room: 'no-such-room' }), { code: 'forbidden' }, 'the same answer');
  });

  test("rooms lists the public rooms and the user's own, never another's private room", async () => {
    const d = domain();
    const [ann, bob] = [await d.guest('ann'), await d.guest('bob')];
    await d.join(ann, 'shut');
    await d.join(ann, 'open', 'public');
    const names = async (user: typeof ann) => (await d.chat.rooms(user)).map((r) => r.name);
    assert.deepEqual(await names(ann), ['lobby', 'open', 'shut']);
    assert.deepEqual(await names(bob), ['lobby', 'open']);
  });
});
