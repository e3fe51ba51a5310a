import { useEffect } from 'react';
import { totalUnread } from '../state/unread.ts';
import { useChatState } from '../state/use-chat-state.ts';

const TITLE = 'pockychat';

/** The tab's title carries the unread count of every room: "(3) pockychat". */
export function useUnreadTitle(): void {
  const unread = useChatState(totalUnread);
  useEffect(() => {
    document.title = unread > 0 ? `(${unread}) ${TITLE}` : TITLE;
    return () => {
      document.title = TITLE;
    };
  }, [unread]);
}
