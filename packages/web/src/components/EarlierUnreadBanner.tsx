interface EarlierUnreadBannerProps {
  /** How many messages were unread when the room was opened, if known. */
  unread: number | undefined;
  onJump: () => void;
  onDismiss: () => void;
}

/**
 * Stands in for the "new messages" line when the person left off before the loaded page: a line
 * there would mark the page's top, not the first unread message. Jumping loads history back to it.
 */
export function EarlierUnreadBanner({ unread, onJump, onDismiss }: EarlierUnreadBannerProps) {
  const what =
    unread === undefined || unread === 0 ? 'New messages' : `${unread} new ${unread === 1 ? 'message' : 'messages'}`;
  return (
    <div className="earlier-unread" role="status">
      <p className="earlier-unread__text">{what} since you left off</p>
      <button type="button" className="chip chip--primary" onClick={onJump}>
        Jump to the first unread
      </button>
      <button type="button" className="chip" onClick={onDismiss}>
        Dismiss
      </button>
    </div>
  );
}
