import type { Message, User } from '@pockychat/protocol';
import type { PendingMessage } from '../state/chat-state.ts';
import { useChatSession } from '../session/session-context.ts';
import { Avatar } from './Avatar.tsx';
import { FileAttachment } from './FileAttachment.tsx';
import { MessageText } from './MessageText.tsx';
import { PendingUpload } from './PendingUpload.tsx';
import { formatFull, formatTime } from './format-time.ts';

interface MessageItemProps {
  message: Message;
  me: User;
  /** Continues the previous message of the same author: no avatar or name again. */
  grouped: boolean;
}

export function MessageItem({ message, me, grouped }: MessageItemProps) {
  const session = useChatSession();
  const own = message.author.id === me.id;
  const liked = message.likes.includes(me.id);
  const date = new Date(message.date);
  return (
    <li className={messageClass(own, grouped)} data-seq={message.seq}>
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
        <div className="message__row">
          <div className="message__bubble">
            {message.file && <FileAttachment file={message.file} />}
            {/* A file message may have no text. */}
            {(message.text || !message.file) && <MessageText text={message.text} />}
            <time className="message__time" dateTime={message.date} title={formatFull(date)}>
              {formatTime(date)}
            </time>
          </div>
          <button
            type="button"
            className={liked ? 'like like--on' : 'like'}
            aria-pressed={liked}
            aria-label={`Like (${message.likes.length})`}
            onClick={() => session.toggleLike(message)}
          >
            <HeartIcon filled={liked} />
            {message.likes.length > 0 && <span className="like__count">{message.likes.length}</span>}
          </button>
        </div>
      </div>
    </li>
  );
}

/** An own message not yet acknowledged: sending, or refused with a way to retry. */
export function PendingItem({ pending, grouped }: { pending: PendingMessage; grouped: boolean }) {
  const session = useChatSession();
  const failed = pending.status === 'failed';
  return (
    <li className={`${messageClass(true, grouped)} message--${pending.status}`} aria-busy={!failed}>
      <div className="message__body">
        <div className="message__row">
          <div className="message__bubble">
            {pending.file ? (
              <PendingUpload pending={pending} file={pending.file} />
            ) : (
              <MessageText text={pending.text} />
            )}
            <span className="message__time">{failed ? 'Not sent' : 'Sending…'}</span>
          </div>
          {!failed && (
            <button type="button" className="like" aria-label="Like (0)" disabled>
              <HeartIcon filled={false} />
            </button>
          )}
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

function HeartIcon({ filled }: { filled: boolean }) {
  return (
    <svg viewBox="0 0 24 24" width="16" height="16" aria-hidden="true" focusable="false">
      <path
        d="M12 20.5s-7.5-4.6-9.3-9.2C1.5 8.2 3.4 4.5 7 4.5c2 0 3.4 1.1 5 3 1.6-1.9 3-3 5-3 3.6 0 5.5 3.7 4.3 6.8-1.8 4.6-9.3 9.2-9.3 9.2z"
        fill={filled ? 'currentColor' : 'none'}
        stroke="currentColor"
        strokeWidth="1.8"
        strokeLinejoin="round"
      />
    </svg>
  );
}
