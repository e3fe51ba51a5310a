import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ClientFrame, Message, RoomSummary } from '@pockychat/protocol';
import { initialChatState, type ChatState } from '../src/state/chat-state.ts';
import { applyMessage } from '../src/state/reconcile.ts';
import { addRoom, setActiveRoom } from '../src/state/rooms.ts';
import { createChatStore } from '../src/state/store.ts';
import { applyRoomCounts, badgeOf, countMessage, readUpTo, totalUnread, uncountDeleted } from '../src/state/unread.ts';
import { READ_THROTTLE_MS, UnreadTracker } from '../src/session/unread-tracker.ts';
import { ann, lobbyMessage } from './fixtures.ts';

const summary = (counts: Partial<RoomSummary>): RoomSummary => ({
  name: 'lobby',
  visibility: 'public',
  members: 2,
  member: true,
  ...counts,
});
const msg = (seq: number, extra: Partial<Message> = {}) => lobbyMessage(seq, extra);
/** Ann in the lobby and dev, dev shown: the server counted 3 unread (1 mention) up to seq 5, read to 2. */
function counted(): ChatState {
  const state = setActiveRoom(addRoom(addRoom({ ...initialChatState(), me: ann }, 'lobby'), 'dev'), 'dev');
  return applyRoomCounts(state, [summary({ readSeq: 2, unread: 3, mentions: 1, lastSeq: 5 })]);
}
const badge = (state: ChatState) => badgeOf(state.reads.lobby);

describe('unread counts (state/unread.ts)', () => {
  test("the server's counts show; live messages past its lastSeq add, those it counted do not", () => {
    let state = counted();
    assert.deepEqual(badge(state), { unread: 3, mentions: 1 });
    state = countMessage(state, msg(5), false);
    assert.deepEqual(badge(state), { unread: 3, mentions: 1 }, 'seq 5 is in the counts already');
    state = countMessage(state, msg(6, { mentions: [ann.id] }), false);
    state = countMessage(state, msg(6, { mentions: [ann.id] }), false);
    assert.deepEqual(badge(state), { unread: 4, mentions: 2 }, 'a message once, however often it comes');
    assert.equal(totalUnread(state), 4);
  });

  test('own messages, and messages of the room on screen, are not counted', () => {
    let state = counted();
    state = countMessage(state, msg(6, { author: ann }), false);
    state = countMessage(state, msg(7), true);
    assert.deepEqual(badge(state), { unread: 3, mentions: 1 });
  });

  test('a marker past the counted seqs clears them; live ones after it stay', () => {
    let state = countMessage(countMessage(counted(), msg(6), false), msg(7), false);
    state = readUpTo(state, 'lobby', 6);
    assert.deepEqual(badge(state), { unread: 1, mentions: 0 });
    assert.equal(readUpTo(state, 'lobby', 4), state, 'a marker only moves forward');
  });

  test('a marker inside the counted seqs recounts from loaded messages, or marks the counts stale', () => {
    const loaded = [3, 4, 5].reduce(
      (s, seq) => applyMessage(s, msg(seq, seq === 5 ? { mentions: [ann.id] } : {})),
      counted(),
    );
    const recounted = readUpTo(loaded, 'lobby', 3);
    assert.deepEqual(badge(recounted), { unread: 2, mentions: 1 });
    assert.equal(recounted.reads.lobby?.stale, false);
    const unknown = readUpTo(counted(), 'lobby', 3);
    assert.equal(unknown.reads.lobby?.stale, true, 'seqs 4 and 5 are not loaded');
    const fresh = applyRoomCounts(unknown, [summary({ readSeq: 3, unread: 2, mentions: 1, lastSeq: 5 })]);
    assert.equal(fresh.reads.lobby?.stale, false);
    assert.deepEqual(badgeOf(fresh.reads.lobby), { unread: 2, mentions: 1 });
  });

  test('a delete uncounts a live message, or a counted one known here; an unknown one makes the counts stale', () => {
    let state = countMessage(counted(), msg(6), false);
    state = uncountDeleted(state, msg(6, { deleted: true }), msg(6));
    assert.deepEqual(badge(state), { unread: 3, mentions: 1 });
    const mention = msg(4, { mentions: [ann.id] });
    state = uncountDeleted(state, msg(4, { deleted: true }), mention);
    assert.deepEqual(badge(state), { unread: 2, mentions: 0 });
    assert.equal(uncountDeleted(state, msg(4, { deleted: true }), msg(4, { deleted: true })), state, 'deleted once');
    assert.equal(uncountDeleted(state, msg(3, { deleted: true }), undefined).reads.lobby?.stale, true);
  });

  test('counts read while a marker of this client was still on its way keep that marker', () => {
    const read = readUpTo(counted(), 'lobby', 5);
    const late = applyRoomCounts(read, [summary({ readSeq: 2, unread: 3, mentions: 1, lastSeq: 5 })]);
    assert.deepEqual(badge(late), { unread: 0, mentions: 0 });
    assert.equal(late.reads.lobby?.readSeq, 5);
  });

  test('a room not shown in the sidebar adds nothing to the title count', () => {
    const state = applyRoomCounts(counted(), [
      summary({ name: 'elsewhere', readSeq: 0, unread: 9, mentions: 0, lastSeq: 9 }),
    ]);
    assert.equal(totalUnread(state), 3);
  });
});

describe('the unread tracker (session/unread-tracker.ts)', () => {
  function tracker(visible = true) {
    const store = createChatStore(counted());
    const sent: ClientFrame[] = [];
    let now = 10_000;
    let refreshed = 0;
    const reads = new UnreadTracker({
      store,
      send: (frame) => (sent.push(frame), true),
      refresh: () => refreshed++,
      isVisible: () => visible,
      now: () => now,
    });
    return { store, sent, reads, advance: (ms: number) => (now += ms), refreshes: () => refreshed };
  }

  test('what was seen is sent at once, then at most once a second per room, only forward', async (t) => {
    t.mock.timers.enable({ apis: ['setTimeout'] });
    const { sent, reads, advance } = tracker();
    reads.seen('lobby', 5);
    assert.deepEqual(sent, [{ type: 'read', room: 'lobby', seq: 5 }]);
    reads.seen('lobby', 4);
    reads.seen('lobby', 6);
    reads.seen('lobby', 7);
    assert.equal(sent.length, 1, 'within the second: held');
    advance(READ_THROTTLE_MS);
    t.mock.timers.tick(READ_THROTTLE_MS);
    assert.deepEqual(sent.at(-1), { type: 'read', room: 'lobby', seq: 7 }, 'the highest seen');
    assert.equal(sent.length, 2);
    reads.seen('lobby', 7);
    advance(READ_THROTTLE_MS);
    t.mock.timers.tick(READ_THROTTLE_MS);
    assert.equal(sent.length, 2, 'nothing new: nothing sent');
  });

  test("another device's marker clears the badge and is not sent back; a partial one asks for the counts", () => {
    const { store, sent, reads, refreshes } = tracker();
    reads.moved('lobby', 3);
    assert.equal(refreshes(), 1, 'seqs 4 and 5 are not loaded here');
    reads.moved('lobby', 9);
    assert.deepEqual(badgeOf(store.getState().reads.lobby), { unread: 0, mentions: 0 });
    reads.seen('lobby', 8);
    assert.deepEqual(sent, []);
  });

  test('messages of the room on screen count only while the page is hidden', () => {
    const hidden = tracker(false);
    hidden.store.update((s) => setActiveRoom(s, 'lobby'));
    hidden.reads.message(msg(6));
    assert.equal(badgeOf(hidden.store.getState().reads.lobby).unread, 4);
    const shown = tracker(true);
    shown.store.update((s) => setActiveRoom(s, 'lobby'));
    shown.reads.message(msg(6));
    assert.equal(badgeOf(shown.store.getState().reads.lobby).unread, 3);
  });

  test('a marker seen before the counts came is held, then applied with them and sent', () => {
    const store = createChatStore(setActiveRoom(addRoom({ ...initialChatState(), me: ann }, 'lobby'), 'lobby'));
    const sent: ClientFrame[] = [];
    const reads = new UnreadTracker({
      store,
      send: (frame) => sent.push(frame) > 0,
      refresh: () => undefined,
      isVisible: () => true,
    });
    reads.seen('lobby', 4);
    assert.deepEqual(sent, [], 'where the person left off is not known yet');
    reads.directory([summary({ readSeq: 2, unread: 2, mentions: 0, lastSeq: 4 })]);
    assert.deepEqual(sent, [{ type: 'read', room: 'lobby', seq: 4 }]);
    const lobby = store.getState().reads.lobby;
    assert.deepEqual([lobby?.readSeq, lobby?.serverReadSeq, badgeOf(lobby).unread], [4, 2, 0]);
    reads.stop();
  });

  test('a marker that could not be written goes once the socket is back; joined resends one lost', (t) => {
    t.mock.timers.enable({ apis: ['setTimeout'] });
    const store = createChatStore(counted());
    const sent: ClientFrame[] = [];
    let up = false;
    let now = 0;
    const reads = new UnreadTracker({
      store,
      send: (frame) => up && sent.push(frame) > 0,
      refresh: () => undefined,
      isVisible: () => true,
      now: () => now,
    });
    reads.seen('lobby', 5);
    assert.equal(sent.length, 0);
    up = true;
    reads.reopened();
    assert.deepEqual(sent, [{ type: 'read', room: 'lobby', seq: 5 }]);
    // The connection dropped before the server stored it: the next join says 2.
    reads.joined('lobby', 2);
    now += READ_THROTTLE_MS;
    t.mock.timers.tick(READ_THROTTLE_MS);
    assert.deepEqual(sent, [
      { type: 'read', room: 'lobby', seq: 5 },
      { type: 'read', room: 'lobby', seq: 5 },
    ]);
    assert.equal(store.getState().reads.lobby?.readSeq, 5);
    reads.stop();
  });
});
