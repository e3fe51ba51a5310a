import { badgeOf } from '../state/unread.ts';
import { useChatState } from '../state/use-chat-state.ts';

/** A room's unread count in the room list, and apart from it the messages that mention the person. */
export function UnreadBadge({ room }: { room: string }) {
  const reads = useChatState((s) => s.reads[room]);
  const { unread, mentions } = badgeOf(reads);
  return (
    <>
      {mentions > 0 && (
        <span className="badge badge--mention" data-testid="mention-badge">
          @{mentions}
          <span className="visually-hidden"> {mentions === 1 ? 'mention' : 'mentions'} of you</span>
        </span>
      )}
      {unread > 0 && (
        <span className="badge" data-testid="unread-badge">
          {unread}
          <span className="visually-hidden"> unread</span>
        </span>
      )}
    </>
  );
}
