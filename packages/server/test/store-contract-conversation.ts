import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LIKE_EMOJI, type Message, type User } from '@pockychat/protocol';
import type { ChangeResult, MessageChange, NewMessage } from '../src/chat/model.ts';
import type { Store } from '../src/chat/ports/store.ts';

/**
 * The store contract's rules for revs, edits, deletes, reactions, replies
 * and mentions (registered inside runStoreContract's suite, one store per
 * backend). Each rule makes its own users and rooms.
 */
export function conversationRules(store: () => Store): void {
  const now = '2026-01-01T00:00:00.000Z';
  let n = 0;
  const guest = (id: string) => store().createUser({ id, name: id, kind: 'guest', createdAt: now });
  const room = (name: string) => store().ensureRoom({ name, visibility: 'public', ownerId: null, createdAt: now });
  const message = (roomName: string, author: User, extra: Partial<NewMessage> = {}): NewMessage => ({
    id: `conv-m${++n}`,
    room: roomName,
    author,
    text: `conv ${n}`,
    date: now,
    clientId: `conv-c${n}`,
    clientDate: undefined,
    ...extra,
  });
  const send = async (roomName: string, author: User, extra: Partial<NewMessage> = {}) =>
    (await store().appendMessage(message(roomName, author, extra))).message;
  const changed = (result: ChangeResult): Message => {
    assert.equal(result.status, 'changed');
    return result.message;
  };
  const lastRev = async (name: string) => (await store().findRoom(name))?.lastRev;
  const all = (name: string) => store().history(name, { kind: 'since-seq', seq: 0, limit: 500 });

  test('C1 a message takes the room next rev with its seq; every change takes the next one', async () => {
    const ann = await guest('r1-ann');
    await room('r1');
    assert.equal(await lastRev('r1'), 0);
    const first = await send('r1', ann);
    assert.deepEqual([first.seq, first.rev, first.mentions, first.reactions], [1, 1, [], {}]);
    const edited = changed(await store().changeMessage('r1', first.id, { kind: 'edit', text: 'new', editedAt: now }));
    assert.equal(edited.rev, 2);
    const second = await send('r1', ann);
    assert.deepEqual([second.seq, second.rev], [2, 3], 'seq stays gap-free, rev counts changes too');
    assert.equal(await lastRev('r1'), 3);
    assert.deepEqual(await store().findMessage('r1', first.id), edited);
  });

  test('C2 an edit replaces the text and sets editedAt; nothing else moves', async () => {
    const ann = await guest('r2-ann');
    await room('r2');
    const m = await send('r2', ann);
    const at = '2026-01-01T00:05:00.000Z';
    const edited = changed(await store().changeMessage('r2', m.id, { kind: 'edit', text: 'édité 👋🏽', editedAt: at }));
    assert.deepEqual(edited, { ...m, text: 'édité 👋🏽', editedAt: at, rev: m.rev + 1 });
  });

  test('C3 a delete leaves a tombstone in its seq: no text, file, reactions, mentions; the file record goes', async () => {
    const [ann, bob] = [await guest('r3-ann'), await guest('r3-bob')];
    await room('r3');
    const ref = { id: 'r3-file', name: 'a.txt', type: 'text/plain', size: 3, url: '/files/r3-file' };
    const blob = { blobKey: 'r3-key', sha256: 'abc', inline: false };
    const m = await send('r3', ann, { file: { ref, blob }, mentions: [bob.id] });
    changed(await store().changeMessage('r3', m.id, { kind: 'react', userId: bob.id, emoji: '👍', on: true }));
    const result = await store().changeMessage('r3', m.id, { kind: 'delete' });
    assert.equal(result.status, 'changed');
    const { message: gone, removedFile } = result;
    assert.deepEqual(removedFile, { ref, room: 'r3', messageId: m.id, ...blob });
    const { file: _file, ...rest } = m;
    assert.deepEqual(gone, {
      ...rest,
      text: '',
      deleted: true,
      mentions: [],
      reactions: {},
      likes: [],
      rev: m.rev + 2,
    });
    assert.deepEqual(await all('r3'), [gone], 'still in history, at its seq');
    assert.equal(await store().findFile('r3-file'), undefined);
    for (const change of [
      { kind: 'edit', text: 'back', editedAt: now },
      { kind: 'delete' },
      { kind: 'react', userId: bob.id, emoji: '👍', on: true },
    ] satisfies MessageChange[]) {
      assert.deepEqual(await store().changeMessage('r3', m.id, change), { status: 'gone' }, change.kind);
    }
    assert.equal(await lastRev('r3'), gone.rev, 'a refused change takes no rev');
  });

  test('C4 reactions are idempotent, one list per emoji; a change that changes nothing takes no rev; ❤️ is the like', async () => {
    const [ann, bob] = [await guest('r4-ann'), await guest('r4-bob')];
    await room('r4');
    const m = await send('r4', ann);
    const react = (who: User, emoji: string, on: boolean) =>
      store().changeMessage('r4', m.id, { kind: 'react', userId: who.id, emoji, on });
    changed(await react(bob, '👍', true));
    const before = await lastRev('r4');
    assert.equal((await react(bob, '👍', true)).status, 'unchanged');
    assert.equal((await react(ann, '👎', false)).status, 'unchanged');
    assert.equal(await lastRev('r4'), before);
    changed(await react(ann, '👍', true));
    const liked = changed(await react(bob, LIKE_EMOJI, true));
    assert.deepEqual(liked.reactions, { '👍': [ann.id, bob.id].sort(), [LIKE_EMOJI]: [bob.id] });
    assert.deepEqual(liked.likes, [bob.id]);
    const unliked = changed(await react(bob, LIKE_EMOJI, false));
    assert.deepEqual([unliked.reactions, unliked.likes], [{ '👍': [ann.id, bob.id].sort() }, []]);
    assert.deepEqual((await all('r4'))[0], unliked, 'history shows the same');
  });

  test('C5 a change names its room: a message of another room, or none, is gone', async () => {
    const ann = await guest('r5-ann');
    await room('r5');
    await room('r5-other');
    const m = await send('r5', ann);
    const edit = { kind: 'edit', text: 'x', editedAt: now } as const;
    assert.deepEqual(await store().changeMessage('r5-other', m.id, edit), { status: 'gone' });
    assert.deepEqual(await store().changeMessage('r5', 'no-such-message', edit), { status: 'gone' });
    assert.equal(await lastRev('r5-other'), 0);
    assert.equal((await store().findMessage('r5', m.id))?.text, m.text);
  });

  test('C6 a reply keeps its parent as given, mentions as given', async () => {
    const [ann, bob] = [await guest('r6-ann'), await guest('r6-bob')];
    await room('r6');
    const parent = await send('r6', ann);
    const replyTo = { id: parent.id, seq: parent.seq, author: ann, text: parent.text };
    const reply = await send('r6', bob, { replyTo, mentions: [ann.id] });
    assert.deepEqual([reply.replyTo, reply.mentions], [replyTo, [ann.id]]);
    assert.deepEqual(await store().findMessage('r6', reply.id), reply);
    changed(await store().changeMessage('r6', parent.id, { kind: 'edit', text: 'changed', editedAt: now }));
    assert.deepEqual((await store().findMessage('r6', reply.id))?.replyTo, replyTo, 'the quote as it was');
  });

  test('C7 changedSince from any rev, applied page by page, ends with the full view, no message twice in a page', async () => {
    const users = [await guest('r7-ann'), await guest('r7-bob'), await guest('r7-cat')];
    await room('r7');
    const views = new Map<number, Map<string, Message>>([[0, new Map()]]);
    const snapshot = async () => {
      const rev = (await lastRev('r7')) as number;
      views.set(rev, new Map((await all('r7')).map((m) => [m.id, m])));
    };
    const ids: string[] = [];
    let seed = 7;
    const random = (k: number) => (seed = (seed * 1103515245 + 12345) % 2147483648) % k;
    for (let step = 0; step < 60; step++) {
      const who = users[random(3)] as User;
      const target = ids[random(Math.max(ids.length, 1))];
      const kind = ids.length === 0 ? 0 : random(5);
      if (kind === 0) ids.push((await send('r7', who)).id);
      else if (kind === 1)
        await store().changeMessage('r7', target!, { kind: 'edit', text: `e${step}`, editedAt: now });
      else if (kind === 2 && random(3) === 0) await store().changeMessage('r7', target!, { kind: 'delete' });
      else
        await store().changeMessage('r7', target!, {
          kind: 'react',
          userId: who.id,
          emoji: ['👍', LIKE_EMOJI, '🎉'][random(3)] as string,
          on: random(3) > 0,
        });
      await snapshot();
    }
    const full = new Map((await all('r7')).map((m) => [m.id, m]));
    for (const [from, view] of views) {
      const mine = new Map(view);
      let since = from;
      for (;;) {
        const page = await store().history('r7', { kind: 'changed-since', rev: since, limit: 4 });
        assert.equal(new Set(page.map((m) => m.id)).size, page.length, `no message twice in a page from ${since}`);
        for (const m of page) {
          assert.ok(m.rev > since, 'only changes past the rev asked from');
          mine.set(m.id, m);
        }
        assert.deepEqual(
          page.map((m) => m.rev),
          [...page.map((m) => m.rev)].sort((a, b) => a - b),
          'ascending by rev',
        );
        if (page.length < 4) break;
        since = (page.at(-1) as Message).rev;
      }
      assert.deepEqual(mine, full, `caught up from rev ${from}`);
    }
  });

  test('C8 concurrent sends and changes in one room: every rev taken once, lastRev the highest', async () => {
    const [ann, bob] = [await guest('r8-ann'), await guest('r8-bob')];
    await room('r8');
    const base = await Promise.all(Array.from({ length: 10 }, () => send('r8', ann)));
    await Promise.all([
      ...Array.from({ length: 10 }, () => send('r8', bob)),
      ...base.map((m, i) => store().changeMessage('r8', m.id, { kind: 'edit', text: `e${i}`, editedAt: now })),
      ...base.map((m) => store().changeMessage('r8', m.id, { kind: 'react', userId: bob.id, emoji: '👍', on: true })),
    ]);
    const messages = await all('r8');
    const revs = messages.map((m) => m.rev);
    assert.equal(new Set(revs).size, revs.length);
    assert.equal(await lastRev('r8'), 40, '20 messages, 20 changes');
    assert.equal(Math.max(...revs), 40);
    assert.deepEqual(
      messages.map((m) => m.seq),
      Array.from({ length: 20 }, (_, i) => i + 1),
    );
  });
}
