import { useState } from 'react';
import { LIKE_EMOJI, type Message } from '@pockychat/protocol';
import { useChatSession } from '../session/session-context.ts';
import { useConversation } from './conversation-context.ts';
import { EmojiPicker } from './lazy-parts.ts';
import { LazyBoundary } from './LazyBoundary.tsx';
import { InlineConfirm } from './InlineConfirm.tsx';

interface ActionsProps {
  message: Message;
  own: boolean;
  picking: boolean;
  setPicking: (picking: boolean) => void;
  onDone: () => void;
}

/**
 * Reply, react, edit and delete: shown on hover, focus or long press; every one a labelled button.
 * Delete asks first, in the toolbar itself (InlineConfirm); answered, focus is back on the message.
 */
export function MessageActions({ message, own, picking, setPicking, onDone }: ActionsProps) {
  const session = useChatSession();
  const conversation = useConversation();
  const mayDelete = own || conversation.owner;
  const who = message.author.name;
  const [confirming, setConfirming] = useState(false);
  const act = (run: () => void) => () => {
    run();
    onDone();
  };
  const label = `Actions on the message of ${who}`;
  if (confirming) {
    return (
      <div className="message__actions message__actions--confirm" role="toolbar" aria-label={label}>
        <InlineConfirm
          question="Delete this message for everyone?"
          confirmLabel="Delete"
          returnFocus={(from) => from.closest<HTMLElement>('li.message')}
          onConfirm={() => {
            setConfirming(false);
            session.delete(message);
            onDone();
          }}
          onCancel={() => setConfirming(false)}
        />
      </div>
    );
  }
  return (
    <div className="message__actions" role="toolbar" aria-label={label}>
      <button
        type="button"
        className="action"
        aria-label="React with ❤️"
        onClick={act(() => session.toggleReaction(message, LIKE_EMOJI))}
      >
        <span aria-hidden="true">❤️</span>
      </button>
      <button
        type="button"
        className="action"
        aria-label="Add a reaction"
        aria-haspopup="dialog"
        aria-expanded={picking}
        onClick={() => setPicking(!picking)}
      >
        <SmileIcon />
      </button>
      <button type="button" className="action" aria-label="Reply" onClick={act(() => conversation.replyTo(message))}>
        <ReplyIcon />
      </button>
      {own && !message.file && (
        <button
          type="button"
          className="action"
          aria-label="Edit"
          onClick={act(() => conversation.setEditing(message.id))}
        >
          <EditIcon />
        </button>
      )}
      {mayDelete && (
        <button
          type="button"
          className="action action--danger"
          aria-label="Delete"
          onClick={() => {
            setPicking(false);
            setConfirming(true);
          }}
        >
          <DeleteIcon />
        </button>
      )}
      {picking && (
        <LazyBoundary onClose={onDone}>
          <EmojiPicker onPick={(emoji) => session.toggleReaction(message, emoji)} onClose={onDone} />
        </LazyBoundary>
      )}
    </div>
  );
}

function Icon({ d }: { d: string }) {
  return (
    <svg viewBox="0 0 24 24" width="16" height="16" aria-hidden="true" focusable="false">
      <path d={d} fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}

const SmileIcon = () => (
  <Icon d="M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18zM8.5 14.5s1.2 1.8 3.5 1.8 3.5-1.8 3.5-1.8M9 9.5h.01M15 9.5h.01" />
);
const ReplyIcon = () => <Icon d="M10 8 5 12.5 10 17M5.5 12.5H14a5 5 0 0 1 5 5V19" />;
const EditIcon = () => <Icon d="M4 20h4L19 9l-4-4L4 16v4zM13.5 6.5l4 4" />;
const DeleteIcon = () => <Icon d="M5 7h14M10 7V5h4v2M7 7l1 13h8l1-13M10.5 11v5M13.5 11v5" />;
