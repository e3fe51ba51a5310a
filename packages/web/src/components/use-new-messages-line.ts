import { useState } from 'react';
import type { User } from '@pockychat/protocol';
import type { TimelineItem } from '../state/timeline.ts';
import { useChatState } from '../state/use-chat-state.ts';

/** Where the "new messages" line goes, and whether the room can be opened on it. */
export interface NewMessagesLineAt {
  /** The seq of the message the line goes above; undefined: no line. */
  seq: number | undefined;
  /** The marker the line stands for is known and messages are loaded: the line is where it will stay. */
  settled: boolean;
  /** The loaded page reaches back to the marker: the line is truly where the person left off. */
  inPage: boolean;
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
  const [opened, setOpened] = useState<{ room: string; readSeq: number | undefined }>({
    room,
    readSeq: reads?.readSeq,
  });
  let mark = opened;
  // Opened: the marker as known then. Opened before the counts came: the server's, which this
  // client's own reading cannot have moved yet (the tracker holds markers until the counts come).
  const now = opened.room !== room ? reads?.readSeq : opened.readSeq === undefined ? reads?.serverReadSeq : undefined;
  if (opened.room !== room || (opened.readSeq === undefined && now !== undefined)) {
    // Setting state while rendering, as React allows for state derived from props: no extra paint.
    mark = { room, readSeq: now };
    setOpened(mark);
  }
  if (mark.readSeq === undefined) return { seq: undefined, settled: false, inPage: false };
  const after = mark.readSeq;
  const messages = items.flatMap((item) => (item.kind === 'message' ? [item.message] : []));
  const first = messages.find((message) => message.seq > after && message.author.id !== me.id);
  return {
    seq: first?.seq,
    settled: messages.length > 0,
    // Older messages still to load after the marker: the line would only mark the page's top.
    inPage: !hasOlder || messages.some((message) => message.seq <= after),
  };
}
