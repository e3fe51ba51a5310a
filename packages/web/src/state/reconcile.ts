import type { AckFrame, Message, User } from '@pockychat/protocol';
import type { ChatState, PendingMessage, RoomState } from './chat-state.ts';
import { omitKey } from './record-utils.ts';

/*
 * Reconciliation rules, as pure functions from state to state:
 * - a message is keyed by its id; a pending message by its clientId;
 * - the ack with a clientId removes that pending entry and puts its message into history;
 * - a `message` frame for a message already in history is ignored;
 * - history pages merge by id (the page's copy wins: it carries fresher likes);
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
  const unclaimed = omitKey(room.unclaimed, message.id);
  const history = { ...room.history, [message.id]: message };
  return settleRooms(withRoom(next, { ...room, history, unclaimed }));
}

export function applyMessage(state: ChatState, message: Message): ChatState {
  const room = state.rooms[message.room];
  if (!room || message.id in room.history || message.id in room.unclaimed) return state;
  const next = rememberUsers(state, [message.author]);
  const own = message.author.id === state.me?.id;
  const unread = own || state.activeRoom === room.name ? room.unread : room.unread + 1;
  return withRoom(next, { ...placeMessages(next, room, [message]), unread });
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
    if (message.id in history) history[message.id] = message;
    else if (message.id in unclaimed) unclaimed[message.id] = message;
    else if (holdOwn && message.author.id === state.me?.id) unclaimed[message.id] = message;
    else history[message.id] = message;
  }
  return { ...room, history, unclaimed };
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
