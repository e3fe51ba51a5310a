import type { Message, User } from '@pockychat/protocol';
import type { PendingMessage, RoomState } from './chat-state.ts';

export type TimelineItem =
  { kind: 'message'; key: string; message: Message } | { kind: 'pending'; key: string; pending: PendingMessage };

/** What a room shows: its history in seq order, then its own unacknowledged sends in the order typed. */
export function timelineOf(room: RoomState, pending: Record<string, PendingMessage>): TimelineItem[] {
  const messages = Object.values(room.history).sort((a, b) => a.seq - b.seq);
  const own = Object.values(pending)
    .filter((p) => p.room === room.name)
    .sort((a, b) => a.createdAt - b.createdAt);
  return [
    ...messages.map((message): TimelineItem => ({ kind: 'message', key: message.id, message })),
    ...own.map((p): TimelineItem => ({ kind: 'pending', key: p.clientId, pending: p })),
  ];
}

/** Every seq the room holds, shown or held back as unclaimed. */
function knownSeqs(room: RoomState): number[] {
  return [...Object.values(room.history), ...Object.values(room.unclaimed)].map((m) => m.seq).sort((a, b) => a - b);
}

/**
 * The highest seq up to which the room's loaded window has no gap: the `since` to catch up from.
 * Not simply the highest seq: a live message can land past a gap (say after a reconnect), and
 * catching up from it would skip what is in the gap.
 */
export function contiguousSeq(room: RoomState): number {
  const seqs = knownSeqs(room);
  const first = seqs[0];
  if (first === undefined) return 0;
  let high = first;
  for (const seq of seqs) {
    if (seq > high + 1) break;
    high = Math.max(high, seq);
  }
  return high;
}

/** The lowest seq loaded, the `before` of the next older page; undefined when nothing is loaded. */
export function oldestSeq(room: RoomState): number | undefined {
  return knownSeqs(room)[0];
}

/** The highest seq loaded; undefined when nothing is loaded. */
export function newestSeq(room: RoomState): number | undefined {
  return knownSeqs(room).at(-1);
}

/** Users typing in the room now, by name order. */
export function typingUsers(room: RoomState, now: number): User[] {
  return Object.values(room.typing)
    .filter((t) => t.until > now)
    .map((t) => t.user)
    .sort((a, b) => a.name.localeCompare(b.name));
}
