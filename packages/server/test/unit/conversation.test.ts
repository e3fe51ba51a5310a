import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { LIKE_EMOJI, type Message, type User } from '@pockychat/protocol';
import { domain, textFrame } from './domain.ts';

/** Edits, deletes, replies, reactions and mentions: the domain's rules, both ways, on the memory store. */

async function setup(options: Parameters<typeof domain>[0] = {}) {
  const d = domain(options);
  const [ann, bob, cat] = [await d.guest('ann'), await d.guest('bob'), await d.guest('cat')];
  await d.join(ann, 'talk');
  await d.admin.invite(ann, 'talk', { userId: bob.id });
  await d.join(bob, 'talk');
  const say = async (who: User, text = 'hello', extra: object = {}) =>
    (await d.chat.send(who, { ...textFrame('talk', text), ...extra })).message;
  const find = async (id: string) => (await d.store.findMessage('talk', id)) as Message;
  d.fanout.take();
  return { d, ann, bob, cat, say, find };
}

describe('conversation rules on the memory store', () => {
  test('an author edits their own message: text replaced, editedAt set, a new rev, `updated` to the room', async () => {
    const { d, ann, say, find } = await setup();
    const m = await say(ann);
    d.fanout.take();
    d.clock.advance(5000);
    await d.chat.edit(ann, 'talk', m.id, 'hello, edited');
    const edited = await find(m.id);
    assert.equal(edited.text, 'hello, edited');
    assert.equal(edited.editedAt, new Date(d.clock.now()).toISOString());
    assert.ok(edited.rev > m.rev);
    assert.deepEqual(d.fanout.take(), [{ to: 'room', room: 'talk', frame: { type: 'updated', message: edited } }]);
  });

  test("another's message cannot be edited (forbidden), not even by the room's owner; nothing changes", async () => {
    const { d, ann, bob, say, find } = await setup();
    const m = await say(bob);
    await assert.rejects(d.chat.edit(ann, 'talk', m.id, 'mine now'), { code: 'forbidden' });
    assert.deepEqual(await find(m.id), m);
  });

  test('the author deletes: a tombstone at the same seq, `updated` to the room, and `likes` if it had likes', async () => {
    const { d, ann, bob, say, find } = await setup();
    const m = await say(bob, 'oops', { mentions: [ann.id] });
    await d.chat.react(ann, 'talk', m.id, LIKE_EMOJI, true);
    d.fanout.take();
    await d.chat.delete(bob, 'talk', m.id);
    const gone = await find(m.id);
    assert.deepEqual(
      [gone.deleted, gone.text, gone.reactions, gone.likes, gone.mentions, gone.seq],
      [true, '', {}, [], [], m.seq],
    );
    const frames = d.fanout.take().map((delivery) => delivery.frame.type);
    assert.deepEqual(frames.sort(), ['likes', 'updated']);
    const unliked = await say(bob, 'never liked');
    d.fanout.take();
    await d.chat.delete(bob, 'talk', unliked.id);
    assert.deepEqual(
      d.fanout.take().map((delivery) => delivery.frame.type),
      ['updated'],
      'no likes frame when it had none',
    );
  });

  test("the room's owner deletes another's message; a member who is neither may not", async () => {
    const { d, ann, bob, say, find } = await setup();
    const byAnn = await say(ann);
    await assert.rejects(d.chat.delete(bob, 'talk', byAnn.id), { code: 'forbidden' });
    assert.equal((await find(byAnn.id)).deleted, undefined);
    const byBob = await say(bob);
    await d.chat.delete(ann, 'talk', byBob.id);
    assert.equal((await find(byBob.id)).deleted, true);
  });

  test("a deleted message's file bytes are removed from the blob store after the commit", async () => {
    const deleted: string[] = [];
    const { d, ann } = await setup({ blobs: { delete: async (key) => void deleted.push(key) } });
    const ref = { id: 'file-1', name: 'a.txt', type: 'text/plain', size: 1, url: '/files/file-1' };
    const { message } = await d.chat.send(ann, {
      ...textFrame('talk', 'a file'),
      file: { ref, blob: { blobKey: 'blob-1', sha256: 'x', inline: false } },
    });
    assert.deepEqual(deleted, []);
    await d.chat.delete(ann, 'talk', message.id);
    assert.deepEqual(deleted, ['blob-1']);
    assert.equal(await d.store.findFile('file-1'), undefined);
  });

  test('a deleted message takes no edit, reaction or second delete (not_found); a live one does', async () => {
    const { d, ann, bob, say } = await setup();
    const m = await say(ann);
    await d.chat.react(bob, 'talk', m.id, '👍', true);
    await d.chat.delete(ann, 'talk', m.id);
    await assert.rejects(d.chat.edit(ann, 'talk', m.id, 'back'), { code: 'not_found' });
    await assert.rejects(d.chat.react(bob, 'talk', m.id, '👍', true), { code: 'not_found' });
    await assert.rejects(d.chat.setLike(bob, 'talk', m.id, true), { code: 'not_found' });
    await assert.rejects(d.chat.delete(ann, 'talk', m.id), { code: 'not_found' });
  });

  test('an unknown message, or one of another room, is not_found for every change', async () => {
    const { d, ann, say } = await setup();
    await d.join(ann, 'elsewhere');
    const m = await say(ann);
    await assert.rejects(d.chat.edit(ann, 'elsewhere', m.id, 'x'), { code: 'not_found' });
    await assert.rejects(d.chat.delete(ann, 'elsewhere', m.id), { code: 'not_found' });
    await assert.rejects(d.chat.react(ann, 'elsewhere', m.id, '👍', true), { code: 'not_found' });
    await assert.rejects(d.chat.edit(ann, 'talk', 'no-such-id', 'x'), { code: 'not_found' });
  });

  test('reactions: idempotent, by any reader; ❤️ is the like, and its change sends `likes` too; no change, no frame', async () => {
    const { d, ann, bob, say, find } = await setup();
    const m = await say(ann);
    d.fanout.take();
    await d.chat.react(bob, 'talk', m.id, '👍', true);
    await d.chat.react(bob, 'talk', m.id, '👍', true);
    assert.deepEqual(
      d.fanout.take().map((x) => x.frame.type),
      ['updated'],
    );
    await d.chat.setLike(bob, 'talk', m.id, true);
    const liked = await find(m.id);
    assert.deepEqual(liked.reactions, { '👍': [bob.id], [LIKE_EMOJI]: [bob.id] });
    assert.deepEqual(liked.likes, [bob.id]);
    assert.deepEqual(
      d.fanout.take().map((x) => x.frame),
      [
        { type: 'likes', room: 'talk', messageId: m.id, likes: [bob.id] },
        { type: 'updated', message: liked },
      ],
    );
    await d.chat.react(bob, 'talk', m.id, LIKE_EMOJI, false);
    assert.deepEqual((await find(m.id)).likes, []);
    await d.chat.react(bob, 'talk', m.id, '🎉', false);
    assert.deepEqual(
      d.fanout.take().map((x) => x.frame.type),
      ['likes', 'updated'],
      'nothing for removing a reaction that was not there',
    );
  });

  test('a reader of a public room may react; a stranger to a private room may not (forbidden)', async () => {
    const { d, ann, cat, say } = await setup();
    const m = await say(ann);
    await assert.rejects(d.chat.react(cat, 'talk', m.id, '👍', true), { code: 'forbidden' });
    await d.join(ann, 'open', 'public');
    const open = (await d.chat.send(ann, textFrame('open'))).message;
    await d.chat.react(cat, 'open', open.id, '👍', true);
    assert.deepEqual((await d.store.findMessage('open', open.id))?.reactions, { '👍': [cat.id] });
  });

  test('a reply quotes its parent as it was (first 200 characters); a parent of another room or none is refused', async () => {
    const { d, ann, bob, say, find } = await setup();
    const long = '👋'.repeat(150) + 'x'.repeat(100);
    const parent = await say(ann, long);
    const reply = await say(bob, 'answer', { replyTo: parent.id });
    assert.deepEqual(reply.replyTo, {
      id: parent.id,
      seq: parent.seq,
      author: ann,
      text: [...long].slice(0, 200).join(''),
    });
    await d.chat.edit(ann, 'talk', parent.id, 'changed');
    assert.deepEqual((await find(reply.id)).replyTo, reply.replyTo, 'the quote stays as it was');

    await d.join(ann, 'elsewhere');
    const other = (await d.chat.send(ann, textFrame('elsewhere'))).message;
    const lastSeq = (await d.store.findRoom('talk'))?.lastSeq;
    await assert.rejects(d.chat.send(bob, { ...textFrame('talk'), replyTo: other.id }), { code: 'not_found' });
    await assert.rejects(d.chat.send(bob, { ...textFrame('talk'), replyTo: 'no-such-id' }), { code: 'not_found' });
    assert.equal((await d.store.findRoom('talk'))?.lastSeq, lastSeq, 'nothing stored');
  });

  test("mentions keep the room's members only, once each", async () => {
    const { ann, bob, cat, say } = await setup();
    const m = await say(ann, 'hey', { mentions: [bob.id, cat.id, 'nobody', bob.id, ann.id] });
    assert.deepEqual(m.mentions, [bob.id, ann.id]);
    assert.deepEqual((await say(ann, 'plain')).mentions, []);
  });

  test('history changedSince answers the changes past a rev, ascending, with lastRev to ask from next', async () => {
    const { d, ann, bob, say } = await setup();
    const a = await say(ann);
    const b = await say(bob);
    const { lastRev: start } = (await d.store.findRoom('talk'))!;
    await d.chat.edit(ann, 'talk', a.id, 'edited');
    await d.chat.react(ann, 'talk', b.id, '👍', true);
    const c = await say(bob);
    const page = await d.chat.history(ann, { room: 'talk', changedSince: start });
    assert.deepEqual(
      page.messages.map((m) => m.id),
      [a.id, b.id, c.id],
    );
    assert.equal(page.lastRev, start + 3);
    const cut = await d.chat.history(ann, { room: 'talk', changedSince: start, limit: 2 });
    assert.equal(cut.lastRev, cut.messages[1]?.rev, 'a full page: ask on from its last rev');
    assert.equal((await d.chat.history(ann, { room: 'talk' })).lastRev, undefined);
  });
});
