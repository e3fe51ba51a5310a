import { useState, type KeyboardEvent } from 'react';
import { type Message, type ReplyRef, type User } from '@pockychat/protocol';
import type { PendingMessage } from '../state/chat-state.ts';
import { useChatSession } from '../session/session-context.ts';
import { Avatar } from './Avatar.tsx';
import { useConversation } from './conversation-context.ts';
import { EditBox } from './EditBox.tsx';
import { FileAttachment } from './FileAttachment.tsx';
import { MessageText } from './MessageText.tsx';
import { PendingUpload } from './PendingUpload.tsx';
import { plainQuote } from './mention-query.ts';
import { MessageActions } from './MessageActions.tsx';
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
