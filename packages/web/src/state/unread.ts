import type { Message, RoomSummary } from '@pockychat/protocol';
import type { ChatState } from './chat-state.ts';

/**
 * A room's read marker and unread counts. The server counts up to `countedTo`
 * (GET /rooms' lastSeq); what came after is counted here, message by message,
 * so that no message is counted twice, whichever of the two arrived first.
 */
export interface RoomReads {
  /** The marker as this client knows it: the server's, or further if read here since. */
  readSeq: number;
  /** The marker as the server's counts had it (where a room opened before they came was left off). */
  serverReadSeq: number;
  /** The server's unread count after serverReadSeq, as it came (the base moves on as the person reads). */
  serverUnread: number;
  /** The server's counts, of the messages in (readSeq, countedTo]. */
  base: { unread: number; mentions: number };
  countedTo: number;
  /** Messages by others past countedTo and readSeq, by id: whether each mentions the person. */
  live: Record<string, { seq: number; mention: boolean }>;
  /** The base could not be worked out here (a marker moved into it): read GET /rooms again. */
  stale: boolean;
}

export interface UnreadBadge {
  unread: number;
  mentions: number;
}

/** The counts a room's badge shows. */
export function badgeOf(reads: RoomReads | undefined): UnreadBadge {
  if (!reads) return { unread: 0, mentions: 0 };
  const live = Object.values(reads.live);
  return {
    unread: reads.base.unread + live.length,
    mentions: reads.base.mentions + live.filter((m) => m.mention).length,
  };
}

/** Every room's unread messages together: the tab title's count. */
export function totalUnread(state: ChatState): number {
  return Object.entries(state.reads)
    .filter(([room]) => room in state.rooms)
    .reduce((sum, [, reads]) => sum + badgeOf(reads).unread, 0);
}

/** True if some room's counts need GET /rooms again. */
export function anyStale(state: ChatState): boolean {
  return Object.values(state.reads).some((reads) => reads.stale);
}

/**
 * The server's counts (GET /rooms) replace the base. Live counts past its lastSeq stay; a
 * marker this client moved further meanwhile (its `read` not stored yet) is applied again.
 */
export function applyRoomCounts(state: ChatState, rooms: readonly RoomSummary[]): ChatState {
  const reads = { ...state.reads };
  const ahead: Array<[string, number]> = [];
  for (const summary of rooms) {
    if (summary.readSeq === undefined || summary.unread === undefined) continue;
    const countedTo = summary.lastSeq ?? summary.readSeq;
    const before = reads[summary.name];
    const live = Object.fromEntries(Object.entries(before?.live ?? {}).filter(([, m]) => m.seq > countedTo));
    reads[summary.name] = {
      readSeq: summary.readSeq,
      serverReadSeq: summary.readSeq,
      serverUnread: summary.unread,
      base: { unread: summary.unread, mentions: summary.mentions ?? 0 },
      countedTo,
      live,
      stale: false,
    };
    if (before && before.readSeq > summary.readSeq) ahead.push([summary.name, before.readSeq]);
  }
  let next: ChatState = { ...state, reads };
  for (const [room, seq] of ahead) next = readUpTo(next, room, seq, { staleIfUnknown: false });
  return next;
}

/**
 * A message arrived live: counted unless it is the person's own, the room is on screen, it was
 * read already, or the server's counts hold it.
 */
export function countMessage(state: ChatState, message: Message, viewing: boolean): ChatState {
  const reads = state.reads[message.room];
  const me = state.me?.id;
  if (!reads || viewing || message.author.id === me || message.deleted) return state;
  if (message.seq <= reads.readSeq || message.seq <= reads.countedTo || message.id in reads.live) return state;
  const mention = me !== undefined && message.mentions.includes(me);
  return withReads(state, message.room, {
    ...reads,
    live: { ...reads.live, [message.id]: { seq: message.seq, mention } },
  });
}

/**
 * A message was deleted (`updated`); `before` is how this client had it, if it had it. A deleted
 * message is not unread any more; one the server counted is taken off its count, if this client
 * knows it was counted, else the counts are read again.
 */
export function uncountDeleted(state: ChatState, message: Message, before: Message | undefined): ChatState {
  const reads = state.reads[message.room];
  if (!reads || !message.deleted || message.author.id === state.me?.id) return state;
  if (message.id in reads.live) {
    const { [message.id]: _gone, ...live } = reads.live;
    return withReads(state, message.room, { ...reads, live });
  }
  if (message.seq <= reads.readSeq || message.seq > reads.countedTo) return state;
  if (!before) return withReads(state, message.room, { ...reads, stale: true });
  if (before.deleted) return state;
  const mentioned = state.me !== null && before.mentions.includes(state.me.id);
  const base = {
    unread: Math.max(0, reads.base.unread - 1),
    mentions: Math.max(0, reads.base.mentions - (mentioned ? 1 : 0)),
  };
  return withReads(state, message.room, { ...reads, base });
}

/**
 * The marker moved to `seq` (read here, on another device, or as `joined` says). Past the
 * server's counts, they all go; inside them, what is left is counted from the messages this client
 * has, if it has every one of them, else the counts are marked stale (or kept, with
 * `staleIfUnknown: false`, until the server's next counts).
 */
export function readUpTo(
  state: ChatState,
  room: string,
  seq: number,
  options: { staleIfUnknown: boolean } = { staleIfUnknown: true },
): ChatState {
  const reads = state.reads[room];
  if (!reads || seq <= reads.readSeq) return state;
  const live = Object.fromEntries(Object.entries(reads.live).filter(([, m]) => m.seq > seq));
  if (seq >= reads.countedTo)
    return withReads(state, room, { ...reads, readSeq: seq, live, base: { unread: 0, mentions: 0 }, stale: false });
  const known = recount(state, room, seq, reads.countedTo);
  if (known) return withReads(state, room, { ...reads, readSeq: seq, live, base: known });
  return withReads(state, room, { ...reads, readSeq: seq, live, stale: reads.stale || options.staleIfUnknown });
}

/** The unread counts of seqs (from, to] from the loaded messages, if every one of them is loaded. */
function recount(state: ChatState, room: string, from: number, to: number): UnreadBadge | undefined {
  const history = state.rooms[room]?.history;
  if (!history) return undefined;
  const inRange = Object.values(history).filter((m) => m.seq > from && m.seq <= to);
  if (inRange.length !== to - from) return undefined;
  const unread = inRange.filter((m) => m.author.id !== state.me?.id && !m.deleted);
  const me = state.me?.id;
  return { unread: unread.length, mentions: unread.filter((m) => me !== undefined && m.mentions.includes(me)).length };
}

function withReads(state: ChatState, room: string, reads: RoomReads): ChatState {
  return { ...state, reads: { ...state.reads, [room]: reads } };
}
