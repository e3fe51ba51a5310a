import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Message } from '@pockychat/protocol';
import { initialChatState, type ChatState, type RoomState } from '../src/state/chat-state.ts';
import {
  applyContextChanges,
  clearFocus,
  closeContext,
  finishLoadingContext,
  focusMessage,
  openContext,
} from '../src/state/context-window.ts';
import { addPending, applyAck, applyMessage, mergeHistory } from '../src/state/reconcile.ts';
import { addRoom, finishLoadingOlder, setActiveRoom } from '../src/state/rooms.ts';
import { ann, lobbyMessage } from './fixtures.ts';

const range = (from: number, to: number): Message[] =>
  Array.from({ length: to - from + 1 }, (_, i) => lobbyMessage(from + i));

/** The lobby holding its newest page: seqs 951 to 1000. */
function liveLobby(): ChatState {
  const state = setActiveRoom(addRoom({ ...initialChatState(), me: ann }, 'lobby'), 'lobby');
  return finishLoadingOlder(state, 'lobby', range(951, 1000), 50);
}

function lobby(state: ChatState): RoomState {
  const room = state.rooms.lobby;
  assert.ok(room);
  return room;
}

const seqs = (messages: Record<string, Message>) =>
  Object.values(messages)
    .map((m) => m.seq)
    .sort((a, b) => a - b);

describe('a window of older history', () => {
  test('far back, it is kept beside the newest messages, which stay as they were', () => {
    const state = openContext(liveLobby(), 'lobby', range(51, 100), range(100, 149), 50);
    const room = lobby(state);
    assert.deepEqual(
      seqs(room.context?.messages ?? {}),
      range(51, 149).map((m) => m.seq),
    );
    assert.equal(room.context?.hasOlder, true);
    assert.deepEqual(
      seqs(room.history),
      range(951, 1000).map((m) => m.seq),
    );
  });

  test('near the newest messages, it is merged into history at once', () => {
    const state = openContext(liveLobby(), 'lobby', range(860, 909), range(909, 958), 50);
    const room = lobby(state);
    assert.equal(room.context, undefined);
    assert.deepEqual(
      seqs(room.history),
      range(860, 1000).map((m) => m.seq),
    );
    assert.equal(room.hasOlder, true);
  });

  test('a short older page reaches the start of the room', () => {
    const state = openContext(liveLobby(), 'lobby', range(1, 10), range(10, 59), 50);
    assert.equal(lobby(state).context?.hasOlder, false);
  });

  test('newer pages grow it until it meets the newest messages: the room is live again', () => {
    let state = openContext(liveLobby(), 'lobby', range(801, 850), range(850, 899), 50);
    assert.ok(lobby(state).context);
    state = finishLoadingContext(state, 'lobby', 'newer', range(900, 949), 50);
    assert.ok(lobby(state).context, 'seq 950 is in neither: still apart');
    state = finishLoadingContext(state, 'lobby', 'newer', range(950, 999), 50);
    const room = lobby(state);
    assert.equal(room.context, undefined);
    assert.deepEqual(
      seqs(room.history),
      range(801, 1000).map((m) => m.seq),
    );
  });

  test('live messages and acks keep going to history while it is shown', () => {
    let state = openContext(liveLobby(), 'lobby', range(51, 100), range(100, 149), 50);
    state = applyMessage(state, lobbyMessage(1001));
    state = addPending(state, { clientId: 'c1', room: 'lobby', text: 'mine', createdAt: 1, status: 'sending' });
    state = applyAck(state, { type: 'ack', clientId: 'c1', message: lobbyMessage(1002, { author: ann }) });
    const room = lobby(state);
    assert.ok(room.history.m1001 && room.history.m1002);
    assert.equal(Object.keys(state.pending).length, 0);
    assert.equal(Object.keys(room.context?.messages ?? {}).length, 99);
  });

  test('changes replace the copies it holds when newer, and leave out other messages', () => {
    let state = openContext(liveLobby(), 'lobby', range(51, 100), range(100, 149), 50);
    const edited = lobbyMessage(60, { text: 'edited', rev: 2000 });
    const stale = lobbyMessage(61, { text: 'stale', rev: 1 });
    state = applyContextChanges(state, 'lobby', [edited, stale, lobbyMessage(500, { rev: 2001 })]);
    const context = lobby(state).context;
    assert.equal(context?.messages.m60?.text, 'edited');
    assert.equal(context?.messages.m61?.text, 'text 61');
    assert.equal(context?.messages.m500, undefined);
  });

  test('closing it shows the newest messages; a focus is asked for once', () => {
    let state = openContext(liveLobby(), 'lobby', range(51, 100), range(100, 149), 50);
    state = focusMessage(state, 'lobby', 'm100');
    const serial = lobby(state).focus?.serial ?? 0;
    assert.equal(lobby(state).focus?.messageId, 'm100');
    state = clearFocus(closeContext(state, 'lobby'), 'lobby', serial);
    assert.equal(lobby(state).context, undefined);
    assert.equal(lobby(state).focus, undefined);
    // A page merged later (the usual `before`) still lands in history.
    assert.ok(lobby(mergeHistory(state, 'lobby', range(901, 950))).history.m901);
  });
});
