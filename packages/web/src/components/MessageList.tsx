import { Fragment, useLayoutEffect, useMemo, useRef } from 'react';
import type { User } from '@pockychat/protocol';
import type { RoomState } from '../state/chat-state.ts';
import { timelineOf, type TimelineItem } from '../state/timeline.ts';
import { useChatState } from '../state/use-chat-state.ts';
import { useChatSession } from '../session/session-context.ts';
import { MessageItem, PendingItem } from './MessageItem.tsx';
import { NewMessagesLine } from './NewMessagesLine.tsx';
import { useNewMessagesLine } from './use-new-messages-line.ts';
import { useReadTracking } from './use-read-tracking.ts';
import { dayKey, formatDay } from './format-time.ts';

// Consecutive messages of one author within this window share one header.
const GROUP_WINDOW_MS = 5 * 60_000;
// Within this many pixels of the end, the list counts as "at the bottom" and follows new messages.
const STICKY_PX = 64;
// Start fetching older messages before the reader actually hits the top.
const PREFETCH_PX = 240;

interface ListProps {
  room: RoomState;
  label: string;
  me: User;
}

export function MessageList({ room, label, me }: ListProps) {
  const session = useChatSession();
  const pending = useChatState((s) => s.pending);
  const items = useMemo(() => timelineOf(room, pending), [room, pending]);
  const scrollerRef = useRef<HTMLDivElement>(null);
  const loadOlder = () => {
    if (room.hasOlder && !room.loadingOlder) session.loadOlder(room.name);
  };
  const onScroll = useScrollKeeper(scrollerRef, room, items, loadOlder);
  useReadTracking(scrollerRef, room.name);
  const newFrom = useNewMessagesLine(room.name, items, me);

  return (
    <div
      className="messages"
      ref={scrollerRef}
      onScroll={onScroll}
      role="log"
      aria-label={`Conversation in ${label}`}
      tabIndex={0}
    >
      <div className="messages__start">
        {room.hasOlder ? (
          <button type="button" className="chip" onClick={loadOlder} disabled={room.loadingOlder}>
            {room.loadingOlder ? 'Loading…' : 'Load earlier'}
          </button>
        ) : (
          <p className="messages__beginning">This is the very beginning of {label}.</p>
        )}
      </div>
      <ul className="messages__list">
        {items.map((item, i) => (
          <Fragment key={item.key}>
            {startsDay(items, i) && <DayDivider date={dateOf(item)} />}
            {item.kind === 'message' && item.message.seq === newFrom && <NewMessagesLine />}
            {item.kind === 'message' ? (
              <MessageItem message={item.message} me={me} grouped={continues(items, i, me)} />
            ) : (
              <PendingItem pending={item.pending} grouped={continues(items, i, me)} />
            )}
          </Fragment>
        ))}
      </ul>
    </div>
  );
}

function DayDivider({ date }: { date: Date }) {
  return (
    <li className="day-divider" role="separator">
      <span>{formatDay(date)}</span>
    </li>
  );
}

/**
 * Keeps the reader's place: follows new messages while at the bottom, keeps the visible
 * message still when an older page is prepended, and asks for older pages near the top.
 */
function useScrollKeeper(
  scrollerRef: React.RefObject<HTMLDivElement | null>,
  room: RoomState,
  items: TimelineItem[],
  loadOlder: () => void,
) {
  const atBottom = useRef(true);
  const previous = useRef({ room: '', firstKey: '', lastKey: '', height: 0 });

  useLayoutEffect(() => {
    const el = scrollerRef.current;
    if (!el) return;
    const before = previous.current;
    const firstKey = items[0]?.key ?? '';
    const lastKey = items.at(-1)?.key ?? '';
    const last = items.at(-1);
    const ownNew = last?.kind === 'pending' && lastKey !== before.lastKey;
    if (before.room !== room.name || atBottom.current || ownNew) {
      el.scrollTop = el.scrollHeight;
      atBottom.current = true;
    } else if (firstKey !== before.firstKey && items.some((item) => item.key === before.firstKey)) {
      el.scrollTop += el.scrollHeight - before.height;
    }
    previous.current = { room: room.name, firstKey, lastKey, height: el.scrollHeight };
    // A short first page does not fill the screen, so no scroll would ever ask for more.
    if (el.scrollHeight <= el.clientHeight && items.length > 0) loadOlder();
  });

  return () => {
    const el = scrollerRef.current;
    if (!el) return;
    atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < STICKY_PX;
    if (el.scrollTop < PREFETCH_PX) loadOlder();
  };
}

function dateOf(item: TimelineItem): Date {
  return item.kind === 'message' ? new Date(item.message.date) : new Date(item.pending.createdAt);
}

function authorOf(item: TimelineItem, me: User): string {
  return item.kind === 'message' ? item.message.author.id : me.id;
}

function startsDay(items: TimelineItem[], i: number): boolean {
  const item = items[i];
  const prev = items[i - 1];
  if (!item) return false;
  return !prev || dayKey(dateOf(prev)) !== dayKey(dateOf(item));
}

function continues(items: TimelineItem[], i: number, me: User): boolean {
  const item = items[i];
  const prev = items[i - 1];
  if (!item || !prev || startsDay(items, i)) return false;
  const gap = dateOf(item).getTime() - dateOf(prev).getTime();
  return authorOf(prev, me) === authorOf(item, me) && gap < GROUP_WINDOW_MS;
}
