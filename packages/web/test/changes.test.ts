import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Message, User } from '@pockychat/protocol';
import { initialChatState, type ChatState } from '../src/state/chat-state.ts';
import {
  addPending,
  applyAck,
  applyChanges,
  applyMessage,
  applyUpdated,
  markSynced,
  mergeHistory,
} from '../src/state/reconcile.ts';
import { addRoom, markJoined, setActiveRoom } from '../src/state/rooms.ts';
import { createChatStore } from '../src/state/store.ts';
import type { HttpApi } from '../src/api/http-api.ts';
import { RoomSync } from '../src/session/room-sync.ts';
import { waitFor } from '../../server/test/helpers/wait-for.ts';
import { mentionCandidates, mentionQuery, mentionsIn, plainQuote } from '../src/components/mention-query.ts';
import { ann, bob, lobbyMessage as msg } from './fixtures.ts';

/** A lobby whose first page (messages 1 to n, revs 1 to n) is loaded and synced to rev n. */
function synced(n: number): ChatState {
  let state = setActiveRoom(addRoom({ ...initialChatState(), me: ann }, 'lobby'), 'lobby');
  state = markJoined(state, 'lobby', n, n);
  const page = Array.from({ length: n }, (_, i) => msg(i + 1));
  return markSynced(mergeHistory(state, 'lobby', page), 'lobby', n);
}

const held = (state: ChatState, id: string) => state.rooms.lobby?.history[id];

describe('changes of messages', () => {
  test('an updated frame with a newer rev replaces the message; an older one is ignored', () => {
    let state = synced(3);
    state = applyUpdated(state, msg(2, { rev: 5, text: 'edited', editedAt: 'now' }));
    state = applyUpdated(state, msg(2, { rev: 4, text: 'first edit' }));
    assert.equal(held(state, 'm2')?.text, 'edited');
    assert.equal(held(state, 'm2')?.rev, 5);
  });

  test('a delete then an older reaction frame keeps the tombstone', () => {
    let state = synced(3);
    state = applyUpdated(state, msg(1, { rev: 6, text: '', deleted: true }));
    state = applyUpdated(state, msg(1, { rev: 5, reactions: { '👍': ['ann1'] } }));
    assert.equal(held(state, 'm1')?.deleted, true);
    assert.deepEqual(held(state, 'm1')?.reactions, {});
  });

  test('out-of-order updated frames end on the newest, whatever the order', () => {
    const versions = [4, 5, 6, 7].map((rev) => msg(3, { rev, reactions: { '🎉': ['x'.repeat(rev - 3)] } }));
    for (const order of [
      [0, 1, 2, 3],
      [3, 2, 1, 0],
      [2, 0, 3, 1],
    ]) {
      let state = synced(3);
      for (const i of order) state = applyUpdated(state, versions[i] as Message);
      assert.deepEqual(held(state, 'm3')?.reactions, { '🎉': ['xxxx'] }, `order ${order.join()}`);
    }
  });

  test('the applied rev follows live changes only while they come one after another', () => {
    let state = synced(3);
    state = applyUpdated(state, msg(1, { rev: 4, text: 'a' }));
    assert.equal(state.rooms.lobby?.rev, 4);
    state = applyMessage(state, msg(4, { rev: 5 }));
    assert.equal(state.rooms.lobby?.rev, 5);
    // Rev 6 was missed: 7 is applied, but the rev stays for catch-up to ask from.
    state = applyUpdated(state, msg(2, { rev: 7, text: 'b' }));
    assert.equal(held(state, 'm2')?.text, 'b');
    assert.equal(state.rooms.lobby?.rev, 5);
  });

  test('an updated frame for a message outside the loaded window is left for its page', () => {
    let state = synced(3);
    state = applyUpdated(state, msg(99, { rev: 9 }));
    assert.equal(held(state, 'm99'), undefined);
  });

  test('catch-up by changedSince applies edits, deletes and new messages once, and moves the rev', () => {
    let state = synced(3);
    // Live, before catch-up: the edit at rev 5 already arrived.
    state = applyUpdated(state, msg(2, { rev: 5, text: 'edited' }));
    const page = [
      msg(1, { rev: 4, reactions: { '👍': ['bob1'] } }),
      msg(2, { rev: 5, text: 'edited' }),
      msg(4, { rev: 6 }),
      msg(3, { rev: 7, text: '', deleted: true }),
    ];
    state = applyChanges(state, 'lobby', page, 7);
    const again = applyChanges(state, 'lobby', page, 7);
    for (const s of [state, again]) {
      const room = s.rooms.lobby;
      assert.ok(room);
      assert.deepEqual(
        Object.values(room.history)
          .sort((a, b) => a.seq - b.seq)
          .map((m) => `${m.seq}:${m.deleted ? 'deleted' : m.text}`),
        ['1:text 1', '2:edited', '3:deleted', '4:text 4'],
      );
      assert.deepEqual(room.history.m1?.reactions, { '👍': ['bob1'] });
      assert.equal(room.rev, 7);
    }
  });

  test('catch-up leaves out changes of messages older than the loaded window', () => {
    let state = setActiveRoom(addRoom({ ...initialChatState(), me: ann }, 'lobby'), 'lobby');
    state = markSynced(mergeHistory(state, 'lobby', [msg(50), msg(51)]), 'lobby', 51);
    state = applyChanges(state, 'lobby', [msg(3, { rev: 52, text: 'old, edited' }), msg(52, { rev: 53 })], 53);
    assert.equal(held(state, 'm3'), undefined, 'no gap opened below the window');
    assert.ok(held(state, 'm52'));
    assert.equal(state.rooms.lobby?.rev, 53);
  });

  test('an older history page does not undo a newer change', () => {
    let state = synced(3);
    state = applyUpdated(state, msg(1, { rev: 8, text: '', deleted: true }));
    state = mergeHistory(state, 'lobby', [msg(1, { rev: 1 })]);
    assert.equal(held(state, 'm1')?.deleted, true);
  });

  test('a reaction to an own message that arrives before its ack survives the ack', () => {
    let state = synced(1);
    state = addPending(state, { clientId: 'c1', room: 'lobby', text: 'mine', createdAt: 1, status: 'sending' });
    const mine = msg(2, { author: ann, text: 'mine' });
    state = applyMessage(state, mine);
    state = applyUpdated(state, { ...mine, rev: 3, reactions: { '❤️': ['bob1'] }, likes: ['bob1'] });
    state = applyAck(state, { type: 'ack', clientId: 'c1', message: mine });
    assert.deepEqual(held(state, 'm2')?.reactions, { '❤️': ['bob1'] });
    assert.deepEqual(Object.keys(state.pending), []);
  });
});

describe('mentions typed in the composer', () => {
  const users: User[] = [
    ann,
    bob,
    { id: 'bea1', name: 'Bea', kind: 'guest' },
    { id: 'abe1', name: 'Abe', kind: 'guest' },
  ];

  test('the @word before the caret is the query; an @ inside a word is not', () => {
    assert.deepEqual(mentionQuery('hi @Be', 6), { start: 3, query: 'Be' });
    assert.deepEqual(mentionQuery('@', 1), { start: 0, query: '' });
    assert.equal(mentionQuery('mail a@b', 8), null);
    assert.equal(mentionQuery('hi @Bea there', 13), null);
  });

  test('candidates: names starting with the query first, then containing it, never me', () => {
    assert.deepEqual(
      mentionCandidates(users, 'b', 'ann1').map((u) => u.name),
      ['Bob', 'Bea', 'Abe'],
    );
    assert.deepEqual(
      mentionCandidates(users, '', 'ann1').map((u) => u.id),
      ['bob1', 'bea1', 'abe1'],
    );
  });

  test('a picked mention is sent only while its @Name is still in the text', () => {
    const picked = new Map([
      ['bob1', 'Bob'],
      ['bea1', 'Bea'],
    ]);
    assert.deepEqual(mentionsIn('@Bob look', picked), ['bob1']);
  });

  test('a member named in full is mentioned without picking; a longer name is not that member', () => {
    assert.deepEqual(mentionsIn('hi @Bea and @Abed', new Map(), users), ['bea1']);
    assert.deepEqual(mentionsIn('@Bob, look', new Map(), users), ['bob1']);
  });

  test('a quote is shown as plain words', () => {
    assert.equal(plainQuote('Plan for **today**:\n1. freeze `main`\n> quoted'), 'Plan for today: freeze main quoted');
  });
});

describe('catch-up after a rejoin', () => {
  test('asks changedSince from the applied rev, page after page until the rev joined announced', async () => {
    const store = createChatStore(synced(3));
    const asked: number[] = [];
    // 250 changes after rev 3: a full page of 200, then 50.
    const changes = Array.from({ length: 250 }, (_, i) => msg(4 + i, { rev: 4 + i }));
    const http = {
      changes: async (_room: string, rev: number, limit: number) => {
        asked.push(rev);
        const page = changes.filter((m) => m.rev > rev).slice(0, limit);
        return { messages: page, lastRev: 253 };
      },
      history: async () => [],
    } as unknown as HttpApi;
    const sync = new RoomSync(store, http, (error) => assert.fail(String(error)));
    store.update((s) => markJoined(s, 'lobby', 253, 253));
    sync.catchUp('lobby');
    await waitFor(() => store.getState().rooms.lobby?.rev === 253);
    assert.deepEqual(asked, [3, 203]);
    assert.equal(Object.keys(store.getState().rooms.lobby?.history ?? {}).length, 253);
  });
});
