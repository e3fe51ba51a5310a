import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { LIKE_EMOJI, limits, type Message, type ReplyRef, type User } from '@pockychat/protocol';
import type { PendingMessage } from '../state/chat-state.ts';
import { useChatSession } from '../session/session-context.ts';
import { Avatar } from './Avatar.tsx';
import { useConversation } from './conversation-context.ts';
import { EmojiPicker } from './EmojiPicker.tsx';
import { FileAttachment } from './FileAttachment.tsx';
import { MessageText } from './MessageText.tsx';
import { PendingUpload } from './PendingUpload.tsx';
import { plainQuote } from './mention-query.ts';
import { Reactions } from './Reactions.tsx';
import { useLongPress } from './use-long-press.ts';
import { formatFull, formatTime } from './format-time.ts';

interface MessageItemProps {
  message: Message;
  me: User;
  /** Continues the previous message of the same author: no avatar or name again. */
  grouped: boolean;
}

export function MessageItem({ message, me, grouped }: MessageItemProps) {
  const session = useChatSession();
  const conversation = useConversation();
  const [actionsOpen, setActionsOpen] = useState(false);
  const [picking, setPicking] = useState(false);
  const longPress = useLongPress(() => setActionsOpen(true));
  const own = message.author.id === me.id;
  const date = new Date(message.date);
  const editing = conversation.editing === message.id;
  const deleted = message.deleted === true;
  const mentionsMe = !own && message.mentions.includes(me.id);
  const closeActions = () => {
    setActionsOpen(false);
    setPicking(false);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLLIElement>) => {
    if (event.key !== 'Escape' || (!actionsOpen && !picking)) return;
    event.stopPropagation();
    closeActions();
    event.currentTarget.focus();
  };
  const classes = [
    messageClass(own, grouped),
    deleted ? 'message--deleted' : '',
    mentionsMe ? 'message--mentions-me' : '',
    conversation.highlighted === message.id ? 'message--highlighted' : '',
    actionsOpen || picking ? 'message--actions-open' : '',
  ];
  return (
    <li
      className={classes.filter(Boolean).join(' ')}
      data-seq={message.seq}
      data-id={message.id}
      tabIndex={0}
      aria-label={`${message.author.name}, ${formatFull(date)}`}
      onKeyDown={onKeyDown}
      {...longPress}
    >
      {!own && <Gutter user={message.author} grouped={grouped} />}
      <div className="message__body">
        {!grouped && !own && (
          <div className="message__meta">
            <button type="button" className="message__author" onClick={() => session.openDirect(message.author)}>
              {message.author.name}
              <span className="visually-hidden">, open direct chat</span>
            </button>
          </div>
        )}
        {message.replyTo && !deleted && <ReplyQuote reply={message.replyTo} />}
        <div className="message__row">
          <div className="message__bubble">
            {deleted ? (
              <p className="message__tombstone">This message was deleted.</p>
            ) : editing ? (
              <EditBox message={message} onDone={() => conversation.setEditing(null)} />
            ) : (
              <>
                {message.file && <FileAttachment file={message.file} />}
                {/* A file message may have no text. */}
                {(message.text || !message.file) && <MessageText text={message.text} />}
              </>
            )}
            {message.editedAt && !deleted && (
              <span className="message__edited" title={`Edited ${formatFull(new Date(message.editedAt))}`}>
                edited
              </span>
            )}
            <time className="message__time" dateTime={message.date} title={formatFull(date)}>
              {formatTime(date)}
            </time>
          </div>
          {!deleted && !editing && (
            <MessageActions
              message={message}
              own={own}
              picking={picking}
              setPicking={setPicking}
              onDone={closeActions}
            />
          )}
        </div>
        {!deleted && <Reactions message={message} />}
      </div>
    </li>
  );
}

interface ActionsProps {
  message: Message;
  own: boolean;
  picking: boolean;
  setPicking: (picking: boolean) => void;
  onDone: () => void;
}

/** Reply, react, edit and delete: shown on hover, focus or long press; every one a labelled button. */
function MessageActions({ message, own, picking, setPicking, onDone }: ActionsProps) {
  const session = useChatSession();
  const conversation = useConversation();
  const mayDelete = own || conversation.owner;
  const who = message.author.name;
  const act = (run: () => void) => () => {
    run();
    onDone();
  };
  return (
    <div className="message__actions" role="toolbar" aria-label={`Actions on the message of ${who}`}>
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
          onClick={act(() => {
            if (window.confirm('Delete this message for everyone?')) session.delete(message);
          })}
        >
          <DeleteIcon />
        </button>
      )}
      {picking && <EmojiPicker onPick={(emoji) => session.toggleReaction(message, emoji)} onClose={onDone} />}
    </div>
  );
}

/** Edits in place: Enter saves, Shift+Enter adds a line, Escape cancels. */
function EditBox({ message, onDone }: { message: Message; onDone: () => void }) {
  const session = useChatSession();
  const [text, setText] = useState(message.text);
  const ref = useRef<HTMLTextAreaElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    el.focus();
    el.setSelectionRange(el.value.length, el.value.length);
  }, []);
  const save = () => {
    if (text.trim().length > 0) session.edit(message, text);
    onDone();
  };
  return (
    <div className="edit-box">
      <textarea
        ref={ref}
        aria-label="Edit message"
        className="edit-box__input"
        value={text}
        maxLength={limits.maxTextChars}
        rows={Math.min(8, text.split('\n').length)}
        onChange={(event) => setText(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === 'Escape') {
            event.preventDefault();
            event.stopPropagation();
            onDone();
          } else if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
            event.preventDefault();
            save();
          }
        }}
      />
      <p className="edit-box__hint">Enter to save · Escape to cancel</p>
    </div>
  );
}

/** The message a reply answers; a click scrolls to it. */
export function ReplyQuote({ reply }: { reply: ReplyRef }) {
  const conversation = useConversation();
  return (
    <button
      type="button"
      className="reply-quote"
      onClick={() => conversation.jumpTo(reply)}
      aria-label={`Reply to ${reply.author.name}: ${plainQuote(reply.text)}. Show the message`}
    >
      <span className="reply-quote__author">{reply.author.name}</span>
      <span className="reply-quote__text">{plainQuote(reply.text) || 'a file'}</span>
    </button>
  );
}

/** An own message not yet acknowledged: sending, or refused with a way to retry. */
export function PendingItem({ pending, grouped }: { pending: PendingMessage; grouped: boolean }) {
  const session = useChatSession();
  const failed = pending.status === 'failed';
  return (
    <li className={`${messageClass(true, grouped)} message--${pending.status}`} aria-busy={!failed}>
      <div className="message__body">
        {pending.replyTo && <ReplyQuote reply={pending.replyTo} />}
        <div className="message__row">
          <div className="message__bubble">
            {pending.file ? (
              <PendingUpload pending={pending} file={pending.file} />
            ) : (
              <MessageText text={pending.text} />
            )}
            <span className="message__time">{failed ? 'Not sent' : 'Sending…'}</span>
          </div>
        </div>
        {failed && (
          <div className="message__failure">
            <span className="message__error" role="status">
              {pending.file?.failure ?? describeError(pending.error)}
            </span>
            <button type="button" className="chip chip--primary" onClick={() => session.retry(pending.clientId)}>
              Retry
            </button>
            <button type="button" className="chip" onClick={() => session.discard(pending.clientId)}>
              Discard
            </button>
          </div>
        )}
      </div>
    </li>
  );
}

function Gutter({ user, grouped }: { user: User; grouped: boolean }) {
  return <div className="message__gutter">{!grouped && <Avatar user={user} />}</div>;
}

function messageClass(own: boolean, grouped: boolean): string {
  return ['message', own ? 'message--own' : '', grouped ? 'message--grouped' : ''].filter(Boolean).join(' ');
}

function describeError(code: string | undefined): string {
  switch (code) {
    case 'rate_limited':
      return 'Too many messages — wait a moment.';
    case 'forbidden':
      return 'You cannot post here.';
    case 'bad_request':
      return 'The server refused this message.';
    default:
      return 'Could not send.';
  }
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
