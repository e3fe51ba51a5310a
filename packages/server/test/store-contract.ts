import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { LIKE_EMOJI, type User } from '@pockychat/protocol';
import type { NewMessage } from '../src/chat/model.ts';
import type { Store } from '../src/chat/ports/store.ts';
import { conversationRules } from './store-contract-conversation.ts';
import { linkRules } from './store-contract-links.ts';
import { peopleRules } from './store-contract-people.ts';
import { readRules } from './store-contract-reads.ts';
import { pushRules } from './store-contract-push.ts';
import { teamRules } from './store-contract-team.ts';
import { signInRules } from './store-contract-sign-in.ts';

/**
 * What every Store must do, run against each implementation. Rule ids (S1,
 * S2, ...) name the promises so a failure says which one broke.
 */
export function runStoreContract(name: string, open: () => Promise<Store>): void {
  describe(`store contract: ${name}`, () => {
    let store: Store;
    let ann: User;
    let bob: User;
    const now = '2026-01-01T00:00:00.000Z';
    let n = 0;
    const message = (room: string, author: User, clientId = `c${++n}`, date = now): NewMessage => ({
      id: `m${++n}`,
      room,
      author,
      text: `text ${n}`,
      date,
      clientId,
      clientDate: undefined,
    });

    before(async () => {
      store = await open();
      ann = await store.createUser({ id: 'ann', name: 'Ann', kind: 'guest', createdAt: now });
      bob = await store.createUser({ id: 'bob', name: 'Bob', kind: 'guest', createdAt: now });
    });
    after(() => store.close());
    peopleRules(() => store);
    conversationRules(() => store);
    readRules(() => store);
    pushRules(() => store);
    linkRules(() => store);
    teamRules(() => store);
    signInRules(() => store);
    /** A like as the domain makes it: the reaction ❤️. */
    const setLike = async (room: string, id: string, userId: string, on: boolean) => {
      const result = await store.changeMessage(room, id, { kind: 'react', userId, emoji: LIKE_EMOJI, on });
      return { changed: result.status === 'changed', likes: result.status === 'gone' ? [] : result.message.likes };
    };

    test('S1 the lobby exists and is public', async () => {
      const lobby = await store.findRoom('lobby');
      assert.equal(lobby?.visibility, 'public');
    });

    test('S2 a token finds its user until it is deleted', async () => {
      await store.saveToken('hash1', ann.id, now);
      assert.deepEqual(await store.findUserByToken('hash1'), ann);
      await store.deleteToken('hash1');
      assert.equal(await store.findUserByToken('hash1'), undefined);
    });

    test('S3 ensureRoom creates once; the first owner and visibility stay', async () => {
      const first = await store.ensureRoom({ name: 's3', visibility: 'private', ownerId: ann.id, createdAt: now });
      const second = await store.ensureRoom({ name: 's3', visibility: 'public', ownerId: bob.id, createdAt: now });
      assert.deepEqual(second, first);
      assert.equal(first.ownerId, ann.id);
    });

    test('S4 membership is idempotent and listRooms shows public rooms and own rooms only', async () => {
      await store.ensureRoom({ name: 's4-private', visibility: 'private', ownerId: ann.id, createdAt: now });
      await store.addMember('s4-private', ann.id, 'owner', now);
      await store.addMember('s4-private', ann.id, 'member', now);
      assert.equal(await store.isMember('s4-private', ann.id), true);
      assert.equal(await store.isMember('s4-private', bob.id), false);
      const annRooms = (await store.listRooms(ann.id)).map((r) => r.name);
      const bobRooms = (await store.listRooms(bob.id)).map((r) => r.name);
      assert.ok(annRooms.includes('s4-private') && annRooms.includes('lobby'));
      assert.ok(!bobRooms.includes('s4-private'));
      assert.equal((await store.listRooms(ann.id)).find((r) => r.name === 's4-private')?.members, 1);
    });

    test('S5 seq is per room, starts at 1 and has no gaps, also under concurrent appends', async () => {
      await store.ensureRoom({ name: 's5', visibility: 'public', ownerId: null, createdAt: now });
      await store.ensureRoom({ name: 's5-other', visibility: 'public', ownerId: null, createdAt: now });
      const results = await Promise.all([
        ...Array.from({ length: 50 }, () => store.appendMessage(message('s5', ann))),
        ...Array.from({ length: 10 }, () => store.appendMessage(message('s5-other', bob))),
      ]);
      const seqs = results
        .filter((r) => r.message.room === 's5')
        .map((r) => r.message.seq)
        .sort((a, b) => a - b);
      assert.deepEqual(
        seqs,
        Array.from({ length: 50 }, (_, i) => i + 1),
      );
      assert.equal((await store.findRoom('s5'))?.lastSeq, 50);
      assert.equal((await store.findRoom('s5-other'))?.lastSeq, 10);
    });

    test('S6 a resent (author, clientId) returns the first message and stores nothing', async () => {
      await store.ensureRoom({ name: 's6', visibility: 'public', ownerId: null, createdAt: now });
      const first = await store.appendMessage({ ...message('s6', ann, 'same'), clientDate: 42 });
      const again = await store.appendMessage({ ...message('s6', ann, 'same'), clientDate: 43 });
      assert.equal(first.duplicate, false);
      assert.equal(again.duplicate, true);
      assert.deepEqual(again.message, first.message);
      assert.equal(again.clientDate, 42);
      const other = await store.appendMessage(message('s6', bob, 'same'));
      assert.equal(other.duplicate, false, 'clientIds are per author');
      assert.equal((await store.history('s6', { kind: 'since-seq', seq: 0, limit: 100 })).length, 2);
      assert.deepEqual((await store.findSent(ann.id, 'same'))?.message, first.message);
    });

    test('S7 one bad append in a batch fails alone', async () => {
      await store.ensureRoom({ name: 's7', visibility: 'public', ownerId: null, createdAt: now });
      const results = await Promise.allSettled([
        store.appendMessage(message('s7', ann)),
        store.appendMessage(message('no-such-room', ann)),
        store.appendMessage(message('s7', ann)),
      ]);
      assert.deepEqual(
        results.map((r) => r.status),
        ['fulfilled', 'rejected', 'fulfilled'],
      );
      const seqs = (await store.history('s7', { kind: 'since-seq', seq: 0, limit: 10 })).map((m) => m.seq);
      assert.deepEqual(seqs, [1, 2]);
    });

    test('S8 history ranges: since seq, since date, before seq, all ascending and limited', async () => {
      await store.ensureRoom({ name: 's8', visibility: 'public', ownerId: null, createdAt: now });
      for (let i = 1; i <= 10; i++) {
        await store.appendMessage(message('s8', ann, `s8-${i}`, `2026-01-01T00:00:${String(i).padStart(2, '0')}.000Z`));
      }
      const seqs = (ms: { seq: number }[]) => ms.map((m) => m.seq);
      assert.deepEqual(seqs(await store.history('s8', { kind: 'since-seq', seq: 7, limit: 100 })), [8, 9, 10]);
      assert.deepEqual(seqs(await store.history('s8', { kind: 'since-seq', seq: 0, limit: 3 })), [1, 2, 3]);
      assert.deepEqual(seqs(await store.history('s8', { kind: 'before-seq', seq: 8, limit: 3 })), [5, 6, 7]);
      assert.deepEqual(
        seqs(await store.history('s8', { kind: 'since-date', date: '2026-01-01T00:00:08.000Z', limit: 100 })),
        [9, 10],
      );
      const [m] = await store.history('s8', { kind: 'since-seq', seq: 0, limit: 1 });
      assert.deepEqual(m?.author, ann);
      assert.equal(m?.text.startsWith('text'), true);
    });

    test('S9 likes are idempotent, report whether they changed, and show in history', async () => {
      await store.ensureRoom({ name: 's9', visibility: 'public', ownerId: null, createdAt: now });
      const { message: m } = await store.appendMessage(message('s9', ann));
      assert.deepEqual(await setLike('s9', m.id, bob.id, true), { changed: true, likes: [bob.id] });
      assert.deepEqual(await setLike('s9', m.id, bob.id, true), { changed: false, likes: [bob.id] });
      assert.deepEqual(await setLike('s9', m.id, ann.id, true), { changed: true, likes: [ann.id, bob.id].sort() });
      assert.deepEqual((await store.findMessage('s9', m.id))?.likes, [ann.id, bob.id].sort());
      const { message: unliked } = await store.appendMessage(message('s9', bob));
      const page = await store.history('s9', { kind: 'since-seq', seq: 0, limit: 10 });
      assert.deepEqual(page, [await store.findMessage('s9', m.id), await store.findMessage('s9', unliked.id)]);
      assert.deepEqual(
        page.map((p) => p.likes),
        [[ann.id, bob.id].sort(), []],
      );
      assert.deepEqual(
        (await store.history('s9', { kind: 'before-seq', seq: unliked.seq, limit: 1 })).map((p) => p.likes),
        [[ann.id, bob.id].sort()],
      );
      assert.deepEqual(await setLike('s9', m.id, bob.id, false), { changed: true, likes: [ann.id] });
      assert.deepEqual(await setLike('s9', m.id, bob.id, false), { changed: false, likes: [ann.id] });
      assert.equal(await store.findMessage('lobby', m.id), undefined, 'a message is found only in its own room');
    });

    test('S10 text is returned byte-identical (emoji, RTL override, combining marks)', async () => {
      await store.ensureRoom({ name: 's10', visibility: 'public', ownerId: null, createdAt: now });
      const text = 'héllo 👋🏽 \u202Eevil\u202C e\u0301 <b>&amp;</b>';
      const { message: m } = await store.appendMessage({ ...message('s10', ann), text });
      assert.equal((await store.findMessage('s10', m.id))?.text, text);
    });

    test('S11 a batch over several rooms with resent clientIds: each stored once, seqs gap-free in send order', async () => {
      for (const room of ['s11a', 's11b'])
        await store.ensureRoom({ name: room, visibility: 'public', ownerId: null, createdAt: now });
      const first = await store.appendMessage(message('s11a', ann, 'early'));
      // One event-loop turn: one group-commit batch, holding a resend of a stored
      // message and the same new clientId twice.
      const results = await Promise.all([
        store.appendMessage(message('s11b', bob, 'b1')),
        store.appendMessage(message('s11a', ann, 'a2')),
        store.appendMessage(message('s11a', ann, 'early')),
        store.appendMessage(message('s11b', bob, 'b2')),
        store.appendMessage(message('s11a', ann, 'a2')),
        store.appendMessage(message('s11a', bob, 'a3')),
      ]);
      assert.deepEqual(
        results.map((r) => [r.message.room, r.message.seq, r.duplicate]),
        [
          ['s11b', 1, false],
          ['s11a', 2, false],
          ['s11a', 1, true],
          ['s11b', 2, false],
          ['s11a', 2, true],
          ['s11a', 3, false],
        ],
      );
      assert.equal(results[2]?.message.id, first.message.id);
      for (const [room, count] of [
        ['s11a', 3],
        ['s11b', 2],
      ] as const) {
        const page = await store.history(room, { kind: 'since-seq', seq: 0, limit: 10 });
        assert.deepEqual(
          page.map((m) => m.seq),
          Array.from({ length: count }, (_, i) => i + 1),
        );
      }
      // Without resends, the same batch shape takes the one-INSERT path.
      const clean = await Promise.all(['s11b', 's11a', 's11b'].map((room) => store.appendMessage(message(room, ann))));
      assert.deepEqual(
        clean.map((r) => [r.message.room, r.message.seq]),
        [
          ['s11b', 3],
          ['s11a', 4],
          ['s11b', 4],
        ],
      );
    });

    test('S12 a large batch keeps every message, in send order', async () => {
      for (const room of ['s12a', 's12b'])
        await store.ensureRoom({ name: room, visibility: 'public', ownerId: null, createdAt: now });
      const rooms = Array.from({ length: 150 }, (_, i) => (i % 3 === 0 ? 's12b' : 's12a'));
      const results = await Promise.all(rooms.map((room) => store.appendMessage(message(room, bob))));
      assert.ok(results.every((r) => !r.duplicate));
      for (const room of ['s12a', 's12b']) {
        const mine = results.filter((r) => r.message.room === room).map((r) => r.message);
        assert.deepEqual(
          mine.map((m) => m.seq),
          Array.from({ length: mine.length }, (_, i) => i + 1),
          'seqs follow the send order',
        );
        const page = await store.history(room, { kind: 'since-seq', seq: 0, limit: 500 });
        assert.deepEqual(
          page.map((m) => [m.id, m.text]),
          mine.map((m) => [m.id, m.text]),
        );
      }
    });

    test('S13 a batch over more rooms than one statement takes: two messages in each of 150 rooms', async () => {
      const rooms = Array.from({ length: 150 }, (_, i) => `s13-${i}`);
      for (const room of rooms)
        await store.ensureRoom({ name: room, visibility: 'public', ownerId: null, createdAt: now });
      const results = await Promise.all([...rooms, ...rooms].map((room) => store.appendMessage(message(room, bob))));
      for (const room of rooms) {
        const mine = results.filter((r) => r.message.room === room).map((r) => r.message);
        assert.deepEqual(
          mine.map((m) => m.seq),
          [1, 2],
          `${room}: seqs 1 and 2, in send order`,
        );
        assert.equal((await store.findRoom(room))?.lastSeq, 2);
      }
    });

    test('S14 ping resolves while the database answers', async () => {
      await store.ping();
    });

    test("S15 deleteTokensOf deletes every token of a user, returns their hashes, and keeps others' tokens", async () => {
      await store.saveToken('s15-a', ann.id, now);
      await store.saveToken('s15-b', ann.id, now);
      await store.saveToken('s15-bob', bob.id, now);
      assert.deepEqual((await store.deleteTokensOf(ann.id)).sort(), ['s15-a', 's15-b']);
      assert.equal(await store.findUserByToken('s15-a'), undefined);
      assert.equal(await store.findUserByToken('s15-b'), undefined);
      assert.deepEqual(await store.findUserByToken('s15-bob'), bob);
      assert.deepEqual(await store.deleteTokensOf(ann.id), [], 'none left to delete');
    });
  });
}
