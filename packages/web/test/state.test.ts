import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Message, User } from '@pockychat/protocol';
import { initialChatState, type ChatState, type RoomState } from '../src/state/chat-state.ts';
import {
  addPending,
  applyAck,
  applyLikes,
  applyMessage,
  discardPending,
  markFailed,
  mergeHistory,
  retryPending,
} from '../src/state/reconcile.ts';
import {
  addRoom,
  finishLoadingOlder,
  markJoined,
  removeRoom,
  roomsToAdopt,
  setActiveRoom,
  setDirectory,
  setConnection,
  setTyping,
} from '../src/state/rooms.ts';
import { contiguousSeq, oldestSeq, timelineOf, typingUsers } from '../src/state/timeline.ts';
import { createChatStore } from '../src/state/store.ts';
import { ann, bob, lobbyMessage } from './fixtures.ts';

function msg(seq: number, author: User = bob, extra: Partial<Message> = {}): Message {
  return lobbyMessage(seq, { author, ...extra });
}

function lobbyState(): ChatState {
  const state = addRoom({ ...initialChatState(), me: ann }, 'lobby');
  return setActiveRoom(state, 'lobby');
}

function send(state: ChatState, clientId: string, text = 'hi', createdAt = 1): ChatState {
  return addPending(state, { clientId, room: 'lobby', text, createdAt, status: 'sending' });
}

function roomOf(state: ChatState, name: string): RoomState {
  const room = state.rooms[name];
  assert.ok(room, `room ${name} exists`);
  return room;
}

function shown(state: ChatState, room = 'lobby'): string[] {
  return timelineOf(roomOf(state, room), state.pending).map((item) =>
    item.kind === 'message' ? `${item.message.seq}:${item.message.text}` : `pending:${item.pending.text}`,
  );
}

describe('pending messages and acks', () => {
  test('a sent message shows at once as pending', () => {
    const state = send(lobbyState(), 'c1', 'hello');
    assert.deepEqual(shown(state), ['pending:hello']);
    assert.equal(state.pending.c1?.status, 'sending');
  });

  test('the ack removes the pending entry by clientId and puts its message into history', () => {
    let state = send(lobbyState(), 'c1', 'hello');
    state = applyAck(state, { type: 'ack', clientId: 'c1', message: msg(1, ann, { text: 'hello' }) });
    assert.deepEqual(state.pending, {});
    assert.deepEqual(shown(state), ['1:hello']);
  });

  test('the echo message frame after the ack is ignored', () => {
    let state = send(lobbyState(), 'c1', 'hello');
    state = applyAck(state, { type: 'ack', clientId: 'c1', message: msg(1, ann, { text: 'hello' }) });
    const after = applyMessage(state, msg(1, ann, { text: 'hello' }));
    assert.equal(after, state);
    assert.deepEqual(shown(after), ['1:hello']);
  });

  test('an echo that arrives before its ack is never shown twice', () => {
    let state = send(lobbyState(), 'c1', 'hello');
    state = applyMessage(state, msg(1, ann, { text: 'hello' }));
    assert.deepEqual(shown(state), ['pending:hello']);
    state = applyAck(state, { type: 'ack', clientId: 'c1', message: msg(1, ann, { text: 'hello' }) });
    assert.deepEqual(shown(state), ['1:hello']);
    assert.deepEqual(state.rooms.lobby?.unclaimed, {});
  });

  test('a repeated ack (resend with the same clientId) changes nothing visible', () => {
    let state = send(lobbyState(), 'c1', 'hello');
    const ack = { type: 'ack' as const, clientId: 'c1', message: msg(1, ann, { text: 'hello' }) };
    state = applyAck(applyAck(state, ack), ack);
    assert.deepEqual(shown(state), ['1:hello']);
  });

  test("others' messages are shown while an own send is in flight", () => {
    let state = send(lobbyState(), 'c1', 'mine');
    state = applyMessage(state, msg(1, bob));
    assert.deepEqual(shown(state), ['1:text 1', 'pending:mine']);
  });

  test('own messages held during a send are shown once no send is in flight', () => {
    let state = send(lobbyState(), 'c1', 'mine');
    // Sent from another tab of the same user: no ack here will ever claim it.
    state = applyMessage(state, msg(1, ann, { text: 'other tab' }));
    state = applyAck(state, { type: 'ack', clientId: 'c1', message: msg(2, ann, { text: 'mine' }) });
    assert.deepEqual(shown(state), ['1:other tab', '2:mine']);
  });

  test('pending messages follow history, in the order they were typed', () => {
    let state = send(lobbyState(), 'c2', 'second', 20);
    state = send(state, 'c1', 'first', 10);
    state = applyMessage(state, msg(1, bob));
    assert.deepEqual(shown(state), ['1:text 1', 'pending:first', 'pending:second']);
  });
});

describe('refused sends', () => {
  test('an error for the clientId marks the message failed and keeps it visible', () => {
    let state = send(lobbyState(), 'c1', 'spam');
    state = markFailed(state, 'c1', 'rate_limited');
    assert.equal(state.pending.c1?.status, 'failed');
    assert.equal(state.pending.c1?.error, 'rate_limited');
    assert.deepEqual(shown(state), ['pending:spam']);
  });

  test('retry puts it back in flight with the same clientId, and its ack reconciles it', () => {
    let state = markFailed(send(lobbyState(), 'c1', 'spam'), 'c1', 'rate_limited');
    state = retryPending(state, 'c1');
    assert.equal(state.pending.c1?.status, 'sending');
    assert.equal(state.pending.c1?.error, undefined);
    state = applyAck(state, { type: 'ack', clientId: 'c1', message: msg(1, ann, { text: 'spam' }) });
    assert.deepEqual(shown(state), ['1:spam']);
  });

  test('failing releases held own messages', () => {
    let state = send(lobbyState(), 'c1', 'mine');
    state = applyMessage(state, msg(1, ann, { text: 'other tab' }));
    state = markFailed(state, 'c1', 'forbidden');
    assert.deepEqual(shown(state), ['1:other tab', 'pending:mine']);
  });

  test('an error for an unknown clientId is ignored; discard removes a failed message', () => {
    const state = markFailed(send(lobbyState(), 'c1'), 'c1', 'rate_limited');
    assert.equal(markFailed(state, 'nope', 'internal'), state);
    assert.deepEqual(shown(discardPending(state, 'c1')), []);
  });
});

describe('history pages', () => {
  test('pages merge by id and display sorted by seq', () => {
    let state = mergeHistory(lobbyState(), 'lobby', [msg(4), msg(5)]);
    state = mergeHistory(state, 'lobby', [msg(1), msg(2), msg(3)]);
    state = mergeHistory(state, 'lobby', [msg(3), msg(4), msg(5), msg(6)]);
    assert.deepEqual(
      shown(state).map((s) => s.split(':')[0]),
      ['1', '2', '3', '4', '5', '6'],
    );
  });

  test('a page with a newer rev carries fresher likes for a message already in history', () => {
    let state = applyMessage(lobbyState(), msg(1));
    state = mergeHistory(state, 'lobby', [msg(1, bob, { rev: 2, likes: ['ann1'] })]);
    assert.deepEqual(state.rooms.lobby?.history.m1?.likes, ['ann1']);
  });

  test('catch-up after a reconnect keeps every message once, in seq order', () => {
    let state = mergeHistory(lobbyState(), 'lobby', [msg(1), msg(2)]);
    // While offline, 3 and 4 were posted; 5 arrives live right after the rejoin.
    state = applyMessage(state, msg(5));
    assert.equal(contiguousSeq(roomOf(state, 'lobby')), 2);
    state = mergeHistory(state, 'lobby', [msg(3), msg(4), msg(5)]);
    state = applyMessage(state, msg(5));
    assert.deepEqual(
      shown(state).map((s) => s.split(':')[0]),
      ['1', '2', '3', '4', '5'],
    );
  });

  test('an own message caught up while its resend is in flight waits for the ack', () => {
    let state = send(lobbyState(), 'c1', 'sent before the drop');
    state = mergeHistory(state, 'lobby', [msg(1, ann, { text: 'sent before the drop' })]);
    assert.deepEqual(shown(state), ['pending:sent before the drop']);
    state = applyAck(state, {
      type: 'ack',
      clientId: 'c1',
      message: msg(1, ann, { text: 'sent before the drop' }),
    });
    assert.deepEqual(shown(state), ['1:sent before the drop']);
  });

  test('an older page that comes back short means the start of the room was reached', () => {
    let state = mergeHistory(lobbyState(), 'lobby', [msg(51), msg(52)]);
    assert.equal(oldestSeq(roomOf(state, 'lobby')), 51);
    state = finishLoadingOlder(state, 'lobby', [msg(49), msg(50)], 50);
    assert.equal(state.rooms.lobby?.hasOlder, false);
    assert.equal(oldestSeq(roomOf(state, 'lobby')), 49);
  });

  test('a full older page leaves more to load', () => {
    const page = Array.from({ length: 3 }, (_, i) => msg(i + 10));
    const state = finishLoadingOlder(lobbyState(), 'lobby', page, 3);
    assert.equal(state.rooms.lobby?.hasOlder, true);
    assert.equal(state.rooms.lobby?.loadingOlder, false);
  });

  test('messages for a room that was not joined are ignored', () => {
    const state = lobbyState();
    assert.equal(applyMessage(state, msg(1, bob, { room: 'elsewhere' })), state);
    assert.equal(mergeHistory(state, 'elsewhere', [msg(1)]), state);
  });
});

describe('likes', () => {
  test('a likes frame replaces the like list of the message', () => {
    let state = applyMessage(lobbyState(), msg(1));
    state = applyLikes(state, 'lobby', 'm1', ['ann1', 'bob1']);
    assert.deepEqual(state.rooms.lobby?.history.m1?.likes, ['ann1', 'bob1']);
    state = applyLikes(state, 'lobby', 'm1', ['bob1']);
    assert.deepEqual(state.rooms.lobby?.history.m1?.likes, ['bob1']);
  });

  test('likes for an unknown message change nothing', () => {
    const state = applyMessage(lobbyState(), msg(1));
    assert.equal(applyLikes(state, 'lobby', 'zzz', ['ann1']), state);
  });
});

describe('rooms', () => {
  test('contiguousSeq is the end of the gap-free run from the oldest loaded message', () => {
    let state = lobbyState();
    assert.equal(contiguousSeq(roomOf(state, 'lobby')), 0);
    state = mergeHistory(state, 'lobby', [msg(7), msg(8), msg(9), msg(12)]);
    assert.equal(contiguousSeq(roomOf(state, 'lobby')), 9);
  });

  test('a dropped connection marks every room as not joined; joined keeps the highest lastSeq', () => {
    let state = markJoined(lobbyState(), 'lobby', 5, 5);
    state = setConnection(state, 'reconnecting');
    assert.equal(state.rooms.lobby?.joined, false);
    state = markJoined(setConnection(state, 'online'), 'lobby', 9, 12);
    assert.equal(state.rooms.lobby?.joined, true);
    assert.equal(state.rooms.lobby?.lastSeq, 9);
  });

  test('typing indicators expire and never list oneself', () => {
    let state = setTyping(lobbyState(), 'lobby', bob, 1000);
    state = setTyping(state, 'lobby', ann, 1000);
    assert.deepEqual(typingUsers(roomOf(state, 'lobby'), 2000), [bob]);
    assert.deepEqual(typingUsers(roomOf(state, 'lobby'), 10_000), []);
    assert.equal(state.users.bob1?.name, 'Bob');
  });

  test('private rooms and DMs we were made a member of are adopted, unless left on purpose', () => {
    let state = addRoom(lobbyState(), 'dev');
    state = setDirectory(state, [
      { name: 'lobby', visibility: 'public', members: 3 },
      { name: 'random', visibility: 'public', members: 2 },
      { name: 'dev', visibility: 'private', members: 2 },
      { name: 'secret', visibility: 'private', members: 2 },
      { name: 'dm:ann1:bob1', visibility: 'private', members: 2 },
      { name: 'old', visibility: 'private', members: 2 },
    ]);
    assert.deepEqual(roomsToAdopt(state, new Set(['old'])), ['secret', 'dm:ann1:bob1']);
  });

  test('leaving the shown room shows another', () => {
    let state = addRoom(lobbyState(), 'dev');
    state = removeRoom(setActiveRoom(state, 'dev'), 'dev');
    assert.equal(state.activeRoom, 'lobby');
    assert.equal(state.rooms.dev, undefined);
  });
});

describe('store', () => {
  test('notifies subscribers only when an update changes state', () => {
    const store = createChatStore(lobbyState());
    let calls = 0;
    const unsubscribe = store.subscribe(() => calls++);
    store.update((s) => s);
    store.update((s) => applyMessage(s, msg(1)));
    unsubscribe();
    store.update((s) => applyMessage(s, msg(2)));
    assert.equal(calls, 1);
    assert.equal(Object.keys(store.getState().rooms.lobby?.history ?? {}).length, 2);
  });
});
