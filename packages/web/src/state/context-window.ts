import type { Message } from '@pockychat/protocol';
import type { ChatState, ContextWindow, RoomState } from './chat-state.ts';
import { mergeHistory, rememberUsers, withRoom } from './reconcile.ts';
import { oldestSeq } from './timeline.ts';
import type { TimelineItem } from './timeline.ts';

/*
 * A room can show a window of older history (around a search result) instead of its newest
 * messages. The window is kept apart from `history`, so that the rules there hold unchanged:
 * `history` stays one run without gaps ending at the newest message (catch-up fills from its
 * top), live messages and acks keep landing in it, and pending sends are reconciled there by
 * clientId. Once the window's pages reach the oldest message of `history`, the two are one run:
 * the window is merged into `history` and the room is live again.
 */

function roomWith(state: ChatState, roomName: string, change: (room: RoomState) => RoomState): ChatState {
  const room = state.rooms[roomName];
  return room ? withRoom(state, change(room)) : state;
}

function seqsOf(messages: Record<string, Message>): number[] {
  return Object.values(messages)
    .map((m) => m.seq)
    .sort((a, b) => a - b);
}

function reachesStart(messages: Message[], limit: number): boolean {
  return messages.length < limit || messages.some((m) => m.seq <= 1);
}

function withMessages(held: Record<string, Message>, messages: Message[]): Record<string, Message> {
  const out = { ...held };
  for (const message of messages) {
    const copy = out[message.id];
    if (!copy || message.rev > copy.rev) out[message.id] = message;
  }
  return out;
}

/** Whether the room holds this message, in `history`, held back, or in its window. */
export function holdsMessage(room: RoomState, messageId: string): boolean {
  return messageId in room.history || messageId in room.unclaimed || messageId in (room.context?.messages ?? {});
}

/** Whether the message is among those the room shows now. */
export function showsMessage(room: RoomState, messageId: string): boolean {
  return room.context ? messageId in room.context.messages : messageId in room.history;
}

/**
 * Opens a window from a `before` page (the message and older ones) and a `since` page (newer
 * ones); a window that already meets `history` is merged into it at once.
 */
export function openContext(
  state: ChatState,
  roomName: string,
  older: Message[],
  newer: Message[],
  limit: number,
): ChatState {
  const messages = [...older, ...newer];
  const remembered = rememberUsers(
    state,
    messages.map((m) => m.author),
  );
  const context: ContextWindow = {
    messages: withMessages({}, messages),
    hasOlder: !reachesStart(older, limit),
    loading: null,
  };
  return settleContext(
    roomWith(remembered, roomName, (room) => ({ ...room, context })),
    roomName,
  );
}

/** Back to the newest messages, leaving the window. */
export function closeContext(state: ChatState, roomName: string): ChatState {
  const room = state.rooms[roomName];
  if (!room?.context) return state;
  const { context: _context, ...live } = room;
  return withRoom(state, live);
}

/** Merges the window into `history` when they meet (no gap between them): the room is live again. */
export function settleContext(state: ChatState, roomName: string): ChatState {
  const room = state.rooms[roomName];
  const context = room?.context;
  if (!room || !context) return state;
  const oldestLive = oldestSeq(room);
  const newestShown = seqsOf(context.messages).at(-1);
  // With nothing in `history` yet (its first page is on the way) the window waits.
  if (oldestLive === undefined || newestShown === undefined || newestShown + 1 < oldestLive) return state;
  const merged = mergeHistory(closeContext(state, roomName), roomName, Object.values(context.messages));
  return roomWith(merged, roomName, (r) => ({ ...r, hasOlder: context.hasOlder }));
}

export function startLoadingContext(state: ChatState, roomName: string, which: 'older' | 'newer'): ChatState {
  const context = state.rooms[roomName]?.context;
  if (!context || context.loading) return state;
  return roomWith(state, roomName, (room) => ({ ...room, context: { ...context, loading: which } }));
}

/** A page that did not come: the window stays as it was, ready to ask again. */
export function stopLoadingContext(state: ChatState, roomName: string): ChatState {
  const context = state.rooms[roomName]?.context;
  if (!context?.loading) return state;
  return roomWith(state, roomName, (room) => ({ ...room, context: { ...context, loading: null } }));
}

/** Merges a page into the window: a `before` page (older) or a `since` page (newer). */
export function finishLoadingContext(
  state: ChatState,
  roomName: string,
  which: 'older' | 'newer',
  messages: Message[],
  limit: number,
): ChatState {
  const context = state.rooms[roomName]?.context;
  if (!context) return state;
  const next: ContextWindow = {
    messages: withMessages(context.messages, messages),
    hasOlder: which === 'older' ? context.hasOlder && !reachesStart(messages, limit) : context.hasOlder,
    loading: null,
  };
  const remembered = rememberUsers(
    state,
    messages.map((m) => m.author),
  );
  return settleContext(
    roomWith(remembered, roomName, (room) => ({ ...room, context: next })),
    roomName,
  );
}

/** The lowest and highest seqs of the window: the `before` and `since` of its next pages. */
export function contextBounds(context: ContextWindow): { oldest: number; newest: number } | undefined {
  const seqs = seqsOf(context.messages);
  const oldest = seqs[0];
  const newest = seqs.at(-1);
  return oldest === undefined || newest === undefined ? undefined : { oldest, newest };
}

/**
 * Changes (a live `updated` frame, or a catch-up page) of messages in the window: a copy replaces
 * the one held only if its rev is newer, as in `history`. Messages not in the window are left out.
 */
export function applyContextChanges(state: ChatState, roomName: string, messages: Message[]): ChatState {
  const context = state.rooms[roomName]?.context;
  if (!context) return state;
  const fresher = messages.filter((m) => {
    const held = context.messages[m.id];
    return held !== undefined && m.rev > held.rev;
  });
  if (fresher.length === 0) return state;
  const next = { ...context, messages: withMessages(context.messages, fresher) };
  return roomWith(state, roomName, (room) => ({ ...room, context: next }));
}

/** Asks the room view to scroll to a message and highlight it. */
export function focusMessage(state: ChatState, roomName: string, messageId: string): ChatState {
  return roomWith(state, roomName, (room) => ({
    ...room,
    focus: { messageId, serial: (room.focus?.serial ?? 0) + 1 },
  }));
}

/** The room view has shown the focused message. */
export function clearFocus(state: ChatState, roomName: string, serial: number): ChatState {
  const room = state.rooms[roomName];
  if (room?.focus?.serial !== serial) return state;
  const { focus: _focus, ...rest } = room;
  return withRoom(state, rest);
}

/** What a room shows of its window: its messages in seq order (own sends show once back to live). */
export function contextTimeline(context: ContextWindow): TimelineItem[] {
  return Object.values(context.messages)
    .sort((a, b) => a.seq - b.seq)
    .map((message) => ({ kind: 'message', key: message.id, message }));
}
