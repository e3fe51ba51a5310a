import { useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { User } from '@pockychat/protocol';
import type { RoomState } from '../state/chat-state.ts';
import { timelineOf, type TimelineItem } from '../state/timeline.ts';
import { contextTimeline } from '../state/context-window.ts';
import { useChatState } from '../state/use-chat-state.ts';
import { useChatSession } from '../session/session-context.ts';
import { MessageItem, PendingItem } from './MessageItem.tsx';
import { EarlierUnreadBanner } from './EarlierUnreadBanner.tsx';
import { ErrorBoundary } from './ErrorBoundary.tsx';
import { NewMessagesLine } from './NewMessagesLine.tsx';
import { useNewMessagesLine, type NewMessagesLineAt } from './use-new-messages-line.ts';
import { useReadTracking } from './use-read-tracking.ts';
import { dayKey, formatDay } from './format-time.ts';

// Consecutive messages of one author within this window share one header.
const GROUP_WINDOW_MS = 5 * 60_000;
// Within this many pixels of the end, the list counts as "at the bottom" and follows new messages.
const STICKY_PX = 64;
// Start fetching older messages before the reader actually hits the top.
const PREFETCH_PX = 240;
// Opened on the "new messages" line, this much of what was read before it stays in view.
const LINE_MARGIN_PX = 48;

interface ListProps {
  room: RoomState;
  label: string;
  me: User;
}

export function MessageList({ room, label, me }: ListProps) {
  const session = useChatSession();
  const pending = useChatState((s) => s.pending);
  const context = room.context;
  const items = useMemo(
    () => (context ? contextTimeline(context) : timelineOf(room, pending)),
    [room, context, pending],
  );
  const scrollerRef = useRef<HTMLDivElement>(null);
  // Showing a window of older history (a search result), the pages come from around it.
  const hasOlder = context ? context.hasOlder : room.hasOlder;
  const loadingOlder = context ? context.loading === 'older' : room.loadingOlder;
  const loadOlder = () => {
    if (!hasOlder || loadingOlder) return;
    if (context) void session.context.older(room.name);
    else session.loadOlder(room.name);
  };
  const loadNewer = () => {
    if (context && !context.loading) void session.context.newer(room.name);
  };
  const line = useNewMessagesLine(room.name, items, me, hasOlder);
  const newFrom = line.seq;
  const { onScroll, toBottom } = useScrollKeeper(scrollerRef, room, items, line, loadOlder, loadNewer);
  useReadTracking(scrollerRef, room.name);
  // Dismissed for the marker it was shown for: opened again later, the room has a marker of its own.
  const [dismissed, setDismissed] = useState<string | null>(null);
  const furtherKey = line.further && `${room.name}\n${line.further.readSeq}`;
  const further = dismissed === furtherKey ? undefined : line.further;

  return (
    <>
      {further && (
        <EarlierUnreadBanner
          unread={further.unread}
          onJump={() => session.openFirstUnread(room.name, further.readSeq)}
          onDismiss={() => setDismissed(furtherKey ?? null)}
        />
      )}
      <div
        className="messages"
        ref={scrollerRef}
        onScroll={onScroll}
        role="log"
        aria-label={`Conversation in ${label}`}
        tabIndex={0}
      >
        <div className="messages__start">
          {hasOlder ? (
            <button type="button" className="chip" onClick={loadOlder} disabled={loadingOlder}>
              {loadingOlder ? 'Loading…' : 'Load earlier'}
            </button>
          ) : (
            <p className="messages__beginning">This is the very beginning of {label}.</p>
          )}
        </div>
        <ul className="messages__list">
          {items.map((item, i) => (
            // One bad message (a date it cannot show, say) takes down its own row only.
            <ErrorBoundary
              key={item.key}
              fallback={<BrokenMessage />}
              resetKey={item.kind === 'message' ? item.message : item.pending}
            >
              {startsDay(items, i) && <DayDivider date={dateOf(item)} />}
              {item.kind === 'message' && item.message.seq === newFrom && <NewMessagesLine />}
              {item.kind === 'message' ? (
                <MessageItem message={item.message} me={me} grouped={continues(items, i, me)} />
              ) : (
                <PendingItem pending={item.pending} grouped={continues(items, i, me)} />
              )}
            </ErrorBoundary>
          ))}
        </ul>
        {context && (
          <div className="messages__end">
            <button type="button" className="chip" onClick={loadNewer} disabled={context.loading === 'newer'}>
              {context.loading === 'newer' ? 'Loading…' : 'Load newer'}
            </button>
            <button
              type="button"
              className="chip chip--primary"
              onClick={() => {
                toBottom();
                session.context.close(room.name);
              }}
            >
              Jump to latest
            </button>
          </div>
        )}
      </div>
    </>
  );
}

function BrokenMessage() {
  return (
    <li className="message message--broken" role="note">
      This message could not be shown.
    </li>
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
 * A window of older history (room.context) asks for newer pages near the bottom too, and never
 * follows the bottom: its newer pages are read from where the reader is, and leaving it for the
 * newest messages keeps the place too, unless the reader asked for the latest (`toBottom`).
 * A room opened with messages the person has not read opens on the "new messages" line rather
 * than at the bottom, when the line is in the loaded page and the bottom would hide it.
 */
function useScrollKeeper(
  scrollerRef: React.RefObject<HTMLDivElement | null>,
  room: RoomState,
  items: TimelineItem[],
  line: NewMessagesLineAt,
  loadOlder: () => void,
  loadNewer: () => void,
) {
  const atBottom = useRef(true);
  const forceBottom = useRef(false);
  const previous = useRef({ room: '', context: false, firstKey: '', lastKey: '', height: 0 });
  // The room whose opening place (the line or the bottom) was decided: once per opening.
  const placed = useRef<string | null>(null);

  useLayoutEffect(() => {
    const el = scrollerRef.current;
    if (!el) return;
    const before = previous.current;
    const firstKey = items[0]?.key ?? '';
    const lastKey = items.at(-1)?.key ?? '';
    const last = items.at(-1);
    const ownNew = last?.kind === 'pending' && lastKey !== before.lastKey;
    const context = room.context !== undefined;
    const sameView = before.room === room.name && before.context === context;
    if (forceBottom.current || before.room !== room.name || (sameView && !context && atBottom.current) || ownNew) {
      el.scrollTop = el.scrollHeight;
      atBottom.current = true;
      forceBottom.current = false;
    } else if (firstKey !== before.firstKey && items.some((item) => item.key === before.firstKey)) {
      el.scrollTop += el.scrollHeight - before.height;
    }
    if (!sameView) atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < STICKY_PX;
    if (before.room !== room.name) placed.current = null;
    // The marker and the first page may come after the room is shown; a window of older
    // history, or a reader who scrolled away meanwhile, keeps its place.
    if (placed.current !== room.name && (context || line.settled)) {
      placed.current = room.name;
      if (!context && atBottom.current && line.inPage && scrollToLine(el)) atBottom.current = false;
    }
    previous.current = { room: room.name, context, firstKey, lastKey, height: el.scrollHeight };
    // A short first page does not fill the screen, so no scroll would ever ask for more.
    if (el.scrollHeight <= el.clientHeight && items.length > 0) loadOlder();
  });

  const onScroll = () => {
    const el = scrollerRef.current;
    if (!el) return;
    const below = el.scrollHeight - el.scrollTop - el.clientHeight;
    atBottom.current = below < STICKY_PX;
    if (el.scrollTop < PREFETCH_PX) loadOlder();
    // In a window of older history, the newer pages come the same way.
    if (room.context && below < PREFETCH_PX) loadNewer();
  };
  return {
    onScroll,
    toBottom: () => {
      forceBottom.current = true;
    },
  };
}

/** Scrolls the "new messages" line near the top when the bottom would hide it; true if it did. */
function scrollToLine(el: HTMLElement): boolean {
  const line = el.querySelector('.new-messages-line');
  if (!line) return false;
  const top = line.getBoundingClientRect().top - el.getBoundingClientRect().top + el.scrollTop - LINE_MARGIN_PX;
  if (top >= el.scrollHeight - el.clientHeight) return false;
  el.scrollTop = Math.max(0, top);
  return true;
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
