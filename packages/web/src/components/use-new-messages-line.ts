import { useState } from 'react';
import type { User } from '@pockychat/protocol';
import type { TimelineItem } from '../state/timeline.ts';
import { badgeOf, type RoomReads } from '../state/unread.ts';
import { useChatState } from '../state/use-chat-state.ts';

/** Where the "new messages" line goes, and whether the room can be opened on it. */
export interface NewMessagesLineAt {
  /** The seq of the message the line goes above; undefined: no line (none unread, or not loaded). */
  seq: number | undefined;
  /** The marker the line stands for is known and messages are loaded: the line is where it will stay. */
  settled: boolean;
  /** The loaded page reaches back to the marker: the line is truly where the person left off. */
  inPage: boolean;
  /**
   * Unread messages by others begin before the loaded page: no line (it would only mark the
   * page's top), but where they begin, to jump to. `unread`: how many there were, if known.
   */
  further?: { readSeq: number; unread: number | undefined };
}

interface OpenedMark {
  room: string;
  readSeq: number | undefined;
  unread: number | undefined;
}

/**
 * The seq of the message the "new messages" line goes above: the first by someone else after the
 * marker as it was when the room was opened (or when its marker first became known). It stays
 * there while the room is shown, though the marker moves on as the person reads.
 */
export function useNewMessagesLine(
  room: string,
  items: readonly TimelineItem[],
  me: User,
  hasOlder: boolean,
): NewMessagesLineAt {
  const reads = useChatState((s) => s.reads[room]);
  const [opened, setOpened] = useState<OpenedMark>(() => markOf(room, reads, 'current'));
  let mark = opened;
  // Opened: the marker as known then. Opened before the counts came: the server's, which this
  // client's own reading cannot have moved yet (the tracker holds markers until the counts come).
  const next =
    opened.room !== room
      ? markOf(room, reads, 'current')
      : opened.readSeq === undefined
        ? markOf(room, reads, 'server')
        : undefined;
  if (next && (opened.room !== room || next.readSeq !== undefined)) {
    // Setting state while rendering, as React allows for state derived from props: no extra paint.
    mark = next;
    setOpened(mark);
  }
  if (mark.readSeq === undefined) return { seq: undefined, settled: false, inPage: false };
  const after = mark.readSeq;
  const messages = items.flatMap((item) => (item.kind === 'message' ? [item.message] : []));
  const first = messages.find((message) => message.seq > after && message.author.id !== me.id);
  // Older messages still to load after the marker: the line would only mark the page's top.
  const inPage = !hasOlder || messages.some((message) => message.seq <= after);
  return {
    seq: inPage ? first?.seq : undefined,
    settled: messages.length > 0,
    inPage,
    further: !inPage && first ? { readSeq: after, unread: mark.unread } : undefined,
  };
}

/** The marker to draw the line at and the unread count then: this client's, or the server's. */
function markOf(room: string, reads: RoomReads | undefined, which: 'current' | 'server'): OpenedMark {
  if (!reads) return { room, readSeq: undefined, unread: undefined };
  if (which === 'server') return { room, readSeq: reads.serverReadSeq, unread: reads.serverUnread };
  return { room, readSeq: reads.readSeq, unread: reads.stale ? undefined : badgeOf(reads).unread };
}
