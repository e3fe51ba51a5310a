import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dmRoomName, type User } from '@pockychat/protocol';
import type { NewMessage } from '../src/chat/model.ts';
import type { Store } from '../src/chat/ports/store.ts';

/**
 * The store contract's rules for read markers and unread counts (RM1, RM2,
 * ...), registered inside runStoreContract's suite. Each rule makes its own
 * users and rooms.
 */
export function readRules(store: () => Store): void {
  const now = '2026-01-01T00:00:00.000Z';
  let n = 0;
  const guest = (id: string) => store().createUser({ id, name: id, kind: 'guest', createdAt: now });
  const room = async (name: string, members: User[]) => {
    await store().ensureRoom({ name, visibility: 'private', ownerId: null, createdAt: now });
    for (const user of members) await store().addMember(name, user.id, 'member', now);
  };
  const message = (roomName: string, author: User, mentions?: User[]): NewMessage => ({
    id: `read-m${++n}`,
    room: roomName,
    author,
    text: `read ${n}`,
    date: now,
    clientId: `read-c${n}`,
    clientDate: undefined,
    ...(mentions && { mentions: mentions.map((u) => u.id) }),
  });
  const send = async (roomName: string, author: User, mentions?: User[]) =>
    (await store().appendMessage(message(roomName, author, mentions))).message;
  /** The counts without lastSeq (RM3 checks it). */
  const counts = async (user: User, roomName: string) => {
    const found = (await store().unreadCounts(user.id)).get(roomName);
    return found && { readSeq: found.readSeq, unread: found.unread, mentions: found.mentions };
  };

  test('RM1 a marker starts at 0 and only moves forward; markRead says whether it moved', async () => {
    const ann = await guest('rm1-ann');
    await room('rm1-room', [ann]);
    assert.equal(await store().readSeq(ann.id, 'rm1-room'), 0);
    assert.equal(await store().markRead(ann.id, 'rm1-room', 0), false, '0 is where it starts');
    assert.equal(await store().markRead(ann.id, 'rm1-room', 3), true);
    assert.equal(await store().markRead(ann.id, 'rm1-room', 3), false, 'the same seq again');
    assert.equal(await store().markRead(ann.id, 'rm1-room', 2), false, 'backwards');
    assert.equal(await store().readSeq(ann.id, 'rm1-room'), 3);
    assert.equal(await store().markRead(ann.id, 'rm1-room', 5), true);
    assert.equal(await store().readSeq(ann.id, 'rm1-room'), 5);
  });

  test('RM2 markers racing each other end at the highest, whatever their order', async () => {
    const ann = await guest('rm2-ann');
    await room('rm2-room', [ann]);
    const seqs = [4, 9, 1, 7, 9, 3, 8, 2, 6, 5];
    const moved = await Promise.all(seqs.map((seq) => store().markRead(ann.id, 'rm2-room', seq)));
    assert.equal(await store().readSeq(ann.id, 'rm2-room'), 9);
    assert.ok(moved.filter(Boolean).length >= 1);
    assert.equal(moved.filter(Boolean).length <= seqs.length - 1, true, 'the second 9 cannot move it');
  });

  test("RM3 unread counts others' messages after the marker, not one's own, nor deleted ones; only member rooms", async () => {
    const ann = await guest('rm3-ann');
    const bob = await guest('rm3-bob');
    await room('rm3-room', [ann, bob]);
    await room('rm3-other', [bob]);
    assert.deepEqual(await counts(ann, 'rm3-room'), { readSeq: 0, unread: 0, mentions: 0 });
    const first = await send('rm3-room', bob);
    await send('rm3-room', ann);
    const third = await send('rm3-room', bob);
    await send('rm3-other', bob);
    assert.deepEqual(await counts(ann, 'rm3-room'), { readSeq: 0, unread: 2, mentions: 0 });
    assert.deepEqual(await counts(bob, 'rm3-room'), { readSeq: 0, unread: 1, mentions: 0 });
    assert.equal(await counts(ann, 'rm3-other'), undefined, 'not a member');
    assert.equal((await store().unreadCounts(ann.id)).get('rm3-room')?.lastSeq, 3, 'the last seq counted');
    await store().changeMessage('rm3-room', third.id, { kind: 'delete' });
    assert.deepEqual(await counts(ann, 'rm3-room'), { readSeq: 0, unread: 1, mentions: 0 }, 'deleted: not counted');
    await store().markRead(ann.id, 'rm3-room', first.seq);
    assert.deepEqual(await counts(ann, 'rm3-room'), { readSeq: 1, unread: 0, mentions: 0 });
  });

  test('RM4 mentions count the unread messages that mention the user, batched appends included; a delete stops counting', async () => {
    const ann = await guest('rm4-ann');
    const bob = await guest('rm4-bob');
    await room('rm4-room', [ann, bob]);
    // Sent at once: the group commit stores them in one batch.
    const sent = await Promise.all([
      send('rm4-room', bob, [ann]),
      send('rm4-room', bob),
      send('rm4-room', bob, [ann, bob]),
      send('rm4-room', ann, [ann]),
    ]);
    assert.deepEqual(await counts(ann, 'rm4-room'), { readSeq: 0, unread: 3, mentions: 2 }, 'not its own mention');
    assert.deepEqual(
      await counts(bob, 'rm4-room'),
      { readSeq: 0, unread: 1, mentions: 0 },
      'its own mention of itself: not',
    );
    const [firstSeq, lastMention] = [sent[0].seq, sent[2]];
    await store().markRead(ann.id, 'rm4-room', firstSeq);
    assert.equal((await counts(ann, 'rm4-room'))?.mentions, sent[2].seq > firstSeq ? 1 : 2);
    await store().changeMessage('rm4-room', lastMention.id, { kind: 'delete' });
    assert.deepEqual(await counts(ann, 'rm4-room'), {
      readSeq: firstSeq,
      unread: sent.filter((m) => m.seq > firstSeq && m.author.id === bob.id && m.id !== lastMention.id).length,
      mentions: 0,
    });
    const one = await send('rm4-room', bob, [ann]);
    assert.equal((await counts(ann, 'rm4-room'))?.mentions, 1, 'one message alone takes the same path');
    await store().markRead(ann.id, 'rm4-room', one.seq);
    assert.deepEqual(await counts(ann, 'rm4-room'), { readSeq: one.seq, unread: 0, mentions: 0 });
  });

  test("RM5 a merge keeps the furthest of the two markers, a renamed DM room keeps the guest's, mentions name the account", async () => {
    const from = await guest('rm5g');
    const into = await guest('rm5a');
    const zed = await guest('rm5z');
    await room('rm5-room', [from, into]);
    for (let i = 0; i < 4; i++) await send('rm5-room', zed);
    await store().markRead(from.id, 'rm5-room', 3);
    await store().markRead(into.id, 'rm5-room', 1);
    const dm = dmRoomName(from.id, zed.id);
    await room(dm, [from, zed]);
    await send(dm, zed);
    await send(dm, zed);
    await send(dm, from, [zed]);
    await store().markRead(from.id, dm, 1);
    const mentioning = await send('rm5-room', zed, [from, into]);
    const mentioningGuest = await send('rm5-room', zed, [from]);

    await store().mergeUsers(from.id, into.id);

    assert.equal(await store().readSeq(into.id, 'rm5-room'), 3);
    assert.equal(await store().readSeq(from.id, 'rm5-room'), 0);
    const renamed = dmRoomName(into.id, zed.id);
    assert.deepEqual(await counts(into, renamed), { readSeq: 1, unread: 1, mentions: 0 });
    assert.deepEqual(await counts(zed, renamed), { readSeq: 0, unread: 1, mentions: 1 });
    assert.equal(await counts(zed, dm), undefined);
    // A message that mentioned the guest mentions the account (the client highlights mentions of its user).
    const mentionsOf = async (id: string) => (await store().findMessage('rm5-room', id))?.mentions;
    assert.deepEqual(await mentionsOf(mentioning.id), [into.id]);
    assert.deepEqual(await mentionsOf(mentioningGuest.id), [into.id]);
  });
}
