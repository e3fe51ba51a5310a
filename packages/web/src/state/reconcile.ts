import type { AckFrame, Message, User } from '@pockychat/protocol';
import type { ChatState, PendingMessage, RoomState } from './chat-state.ts';
import { omitKey } from './record-utils.ts';

/*
 * Reconciliation rules, as pure functions from state to state:
 * - a message is keyed by its id; a pending message by its clientId;
 * - the ack with a clientId removes that pending entry and puts its message into history;
 * - a `message` frame for a message already in history is ignored;
 * - any copy of a message (a page, an `updated` frame) replaces the one held only if its rev is
 *   newer: changes arrive live and in catch-up pages, in any order, and an older copy (a reaction
 *   read before a delete) must not bring back what a newer one took away;
 * - a room's `rev` is the rev up to which every change is applied to its loaded window;
 * - a refused send stays visible as failed until it is retried with the same clientId.
 */

export function addPending(state: ChatState, pending: PendingMessage): ChatState {
  return { ...state, pending: { ...state.pending, [pending.clientId]: pending } };
}

export function applyAck(state: ChatState, ack: AckFrame): ChatState {
  const pending = omitKey(state.pending, ack.clientId);
  const message = ack.message;
  const room = state.rooms[message.room];
  const next = rememberUsers({ ...state, pending }, [message.author]);
  if (!room) return next;
  // A change of the message (a reaction) may have come live before its ack.
  const held = room.history[message.id] ?? room.unclaimed[message.id];
  const unclaimed = omitKey(room.unclaimed, message.id);
  const history = { ...room.history, [message.id]: held ? newer(held, message) : message };
  return settleRooms(withRoom(next, { ...room, history, unclaimed, rev: followRev(room, message.rev) }));
}

export function applyMessage(state: ChatState, message: Message): ChatState {
  const room = state.rooms[message.room];
  if (!room || message.id in room.history || message.id in room.unclaimed) return state;
  const next = rememberUsers(state, [message.author]);
  return withRoom(next, { ...placeMessages(next, room, [message]), rev: followRev(room, message.rev) });
}

/**
 * A live `updated` frame: replaces the loaded copy if newer. A message outside the loaded window
 * is left out: its page, when loaded, brings it as it is then.
 */
export function applyUpdated(state: ChatState, message: Message): ChatState {
  const room = state.rooms[message.room];
  if (!room) return state;
  const rev = followRev(room, message.rev);
  const held = room.history[message.id] ?? room.unclaimed[message.id];
  if (!held || held.rev >= message.rev) return rev === room.rev ? state : withRoom(state, { ...room, rev });
  return withRoom(rememberUsers(state, [message.author]), { ...placeMessages(state, room, [message]), rev });
}

/**
 * A page of `changedSince` (ascending by rev), read when the room's rev was `upTo`: every change
 * up to `upTo` is then applied. New messages join the window; changes of messages older than the
 * window are left out (their page brings them as they are when loaded).
 */
export function applyChanges(state: ChatState, roomName: string, messages: Message[], upTo: number): ChatState {
  const room = state.rooms[roomName];
  if (!room) return state;
  const oldest = lowestSeq(room);
  const inWindow = messages.filter((m) => oldest !== undefined && m.seq >= oldest);
  const next = rememberUsers(
    state,
    inWindow.map((m) => m.author),
  );
  const placed = inWindow.length > 0 ? placeMessages(next, room, inWindow) : room;
  return withRoom(next, { ...placed, rev: Math.max(room.rev, upTo) });
}

/** After the first page of a room: it holds every change up to the rev `joined` announced. */
export function markSynced(state: ChatState, roomName: string, rev: number): ChatState {
  const room = state.rooms[roomName];
  if (!room || room.rev >= rev) return state;
  return withRoom(state, { ...room, rev });
}

/** The live change right after the applied rev moves it on; any other leaves it for catch-up. */
function followRev(room: RoomState, rev: number): number {
  return room.rev > 0 && rev === room.rev + 1 ? rev : room.rev;
}

function lowestSeq(room: RoomState): number | undefined {
  let low: number | undefined;
  for (const m of [...Object.values(room.history), ...Object.values(room.unclaimed)]) {
    if (low === undefined || m.seq < low) low = m.seq;
  }
  return low;
}

/** Merges a page of history (from `since` or `before`) into a room. */
export function mergeHistory(state: ChatState, roomName: string, messages: Message[]): ChatState {
  const room = state.rooms[roomName];
  if (!room || messages.length === 0) return state;
  const next = rememberUsers(
    state,
    messages.map((m) => m.author),
  );
  return withRoom(next, placeMessages(next, room, messages));
}

export function markFailed(state: ChatState, clientId: string, code: string): ChatState {
  const pending = state.pending[clientId];
  if (!pending) return state;
  const failed: PendingMessage = { ...pending, status: 'failed', error: code };
  const next = { ...state, pending: { ...state.pending, [clientId]: failed } };
  const room = next.rooms[pending.room];
  return room ? settleRooms(withRoom(next, room)) : next;
}

/** Puts a failed message back in flight; the caller resends it with the same clientId. */
export function retryPending(state: ChatState, clientId: string): ChatState {
  const pending = state.pending[clientId];
  if (!pending || pending.status !== 'failed') return state;
  const resent: PendingMessage = {
    clientId,
    room: pending.room,
    text: pending.text,
    createdAt: pending.createdAt,
    status: 'sending',
  };
  // An upload starts over from its first byte; the server answers a resent clientId with the first message.
  if (pending.file) {
    const { failure: _failure, ...file } = pending.file;
    resent.file = { ...file, progress: 0 };
  }
  return { ...state, pending: { ...state.pending, [clientId]: resent } };
}

export function discardPending(state: ChatState, clientId: string): ChatState {
  const pending = state.pending[clientId];
  if (!pending) return state;
  const next = { ...state, pending: omitKey(state.pending, clientId) };
  const room = next.rooms[pending.room];
  return room ? settleRooms(withRoom(next, room)) : next;
}

/** A v1 `likes` frame; a v2 server sends `updated` with it, which this client goes by (it has a rev). */
export function applyLikes(state: ChatState, roomName: string, messageId: string, likes: string[]): ChatState {
  const room = state.rooms[roomName];
  if (!room) return state;
  const inHistory = room.history[messageId];
  if (inHistory) {
    return withRoom(state, { ...room, history: { ...room.history, [messageId]: { ...inHistory, likes } } });
  }
  const unclaimed = room.unclaimed[messageId];
  if (unclaimed) {
    return withRoom(state, { ...room, unclaimed: { ...room.unclaimed, [messageId]: { ...unclaimed, likes } } });
  }
  return state;
}

export function hasSendingIn(state: ChatState, roomName: string): boolean {
  return Object.values(state.pending).some((p) => p.room === roomName && p.status === 'sending');
}

export function rememberUsers(state: ChatState, users: User[]): ChatState {
  const fresh = users.filter((u) => state.users[u.id]?.name !== u.name);
  if (fresh.length === 0) return state;
  const known = { ...state.users };
  for (const user of fresh) known[user.id] = user;
  return { ...state, users: known };
}

export function withRoom(state: ChatState, room: RoomState): ChatState {
  return { ...state, rooms: { ...state.rooms, [room.name]: room } };
}

/** Sorts messages into history, or into `unclaimed` when they may echo an own send in flight. */
function placeMessages(state: ChatState, room: RoomState, messages: Message[]): RoomState {
  const history = { ...room.history };
  const unclaimed = { ...room.unclaimed };
  const holdOwn = hasSendingIn(state, room.name);
  for (const message of messages) {
    const inHistory = history[message.id];
    const inUnclaimed = unclaimed[message.id];
    if (inHistory) history[message.id] = newer(inHistory, message);
    else if (inUnclaimed) unclaimed[message.id] = newer(inUnclaimed, message);
    else if (holdOwn && message.author.id === state.me?.id) unclaimed[message.id] = message;
    else history[message.id] = message;
  }
  return { ...room, history, unclaimed };
}

function newer(held: Message, incoming: Message): Message {
  return incoming.rev > held.rev ? incoming : held;
}

/** Once no own send is in flight in a room, nothing can claim its held messages: show them. */
function settleRooms(state: ChatState): ChatState {
  let next = state;
  for (const room of Object.values(state.rooms)) {
    if (Object.keys(room.unclaimed).length === 0 || hasSendingIn(state, room.name)) continue;
    next = withRoom(next, { ...room, history: { ...room.history, ...room.unclaimed }, unclaimed: {} });
  }
  return next;
}
