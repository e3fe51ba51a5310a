import { useEffect, useRef, useState } from 'react';
import type { ChatSession } from '../session/chat-session.ts';
import { useChatState } from '../state/use-chat-state.ts';

/** How long a message jumped to stays highlighted; the CSS fades it out over its last part. */
export const HIGHLIGHT_MS = 4000;

/**
 * Scrolls to the message the room was asked to show (a search result, a quoted message) once it
 * is rendered, and gives the id to highlight for a few seconds.
 */
export function useMessageFocus(session: ChatSession, room: string): string | null {
  const focus = useChatState((s) => s.rooms[room]?.focus);
  const [highlighted, setHighlighted] = useState<string | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  useEffect(() => {
    if (!focus) return undefined;
    // After the browser has laid out the render that holds the message.
    const frame = requestAnimationFrame(() => {
      const el = document.querySelector<HTMLElement>(`li.message[data-id="${CSS.escape(focus.messageId)}"]`);
      el?.scrollIntoView({ block: 'center' });
      el?.focus({ preventScroll: true });
      setHighlighted(focus.messageId);
      clearTimeout(timer.current);
      timer.current = setTimeout(() => setHighlighted(null), HIGHLIGHT_MS);
      session.messageShown(room, focus.serial);
    });
    return () => cancelAnimationFrame(frame);
  }, [session, room, focus]);
  useEffect(() => () => clearTimeout(timer.current), []);
  return highlighted;
}
