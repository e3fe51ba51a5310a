import {
  useEffect,
  useId,
  useLayoutEffect,
  useRef,
  useState,
  type ClipboardEvent,
  type FormEvent,
  type KeyboardEvent,
} from 'react';
import { limits, type Message, type User } from '@pockychat/protocol';
import type { Member } from '../api/rooms-api.ts';
import { useChatSession } from '../session/session-context.ts';
import { ComposerTools } from './ComposerTools.tsx';
import { mentionCandidates, mentionQuery, mentionsIn, plainQuote } from './mention-query.ts';

interface ComposerProps {
  room: string;
  placeholder: string;
  members: Member[];
  me: User;
  /** The message being answered, quoted above the box. */
  replying: Message | null;
  onCancelReply: () => void;
  /** An `@` was typed: the member list may be stale. */
  onMention: () => void;
}

/** The message box: Enter sends, Shift+Enter adds a line, `@` suggests the room's members. */
export function Composer({ room, placeholder, members, me, replying, onCancelReply, onMention }: ComposerProps) {
  const session = useChatSession();
  const [text, setText] = useState('');
  const [caret, setCaret] = useState(0);
  const [active, setActive] = useState(0);
  // Mentions picked from the suggestions, by user id; sent if their @Name is still in the text.
  const picked = useRef(new Map<string, string>());
  const inputRef = useRef<HTMLTextAreaElement>(null);
  // Where the caret goes once a picked mention is in the box. Set as the new text is committed, before
  // the next key: a later frame (requestAnimationFrame) would pull back the caret past keys typed since.
  const caretAfterPick = useRef<number | null>(null);
  useLayoutEffect(() => {
    const at = caretAfterPick.current;
    if (at === null) return;
    caretAfterPick.current = null;
    inputRef.current?.setSelectionRange(at, at);
  });
  const id = useId();
  const canSend = text.trim().length > 0;
  const query = mentionQuery(text, caret);
  const candidates = query
    ? mentionCandidates(
        members.map((m) => m.user),
        query.query,
        me.id,
      )
    : [];
  const suggesting = candidates.length > 0;

  useEffect(() => {
    if (replying) inputRef.current?.focus();
  }, [replying]);
  const mentioning = query !== null;
  useEffect(() => {
    if (mentioning) onMention();
  }, [mentioning, onMention]);

  const send = () => {
    if (!canSend) return;
    const mentions = mentionsIn(
      text,
      picked.current,
      members.map((m) => m.user).filter((u) => u.id !== me.id),
    );
    session.sendMessage(room, text, { ...(replying ? { replyTo: replying } : {}), mentions });
    setText('');
    picked.current.clear();
    onCancelReply();
    inputRef.current?.focus();
  };
  const pick = (user: User) => {
    if (!query) return;
    const next = `${text.slice(0, query.start)}@${user.name} ${text.slice(caret)}`;
    const at = query.start + user.name.length + 2;
    picked.current.set(user.id, user.name);
    setText(next);
    setCaret(at);
    setActive(0);
    caretAfterPick.current = at;
  };
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    send();
  };
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (suggesting && onSuggestionKey(event)) return;
    if (event.key === 'Escape' && replying) {
      event.preventDefault();
      onCancelReply();
      return;
    }
    // isComposing: Enter that confirms an IME candidate (Japanese, Chinese…) must not send.
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      send();
    }
  };
  /** Up and Down move in the suggestions, Enter or Tab picks, Escape closes; true when handled. */
  const onSuggestionKey = (event: KeyboardEvent<HTMLTextAreaElement>): boolean => {
    const move = { ArrowDown: 1, ArrowUp: -1 }[event.key as 'ArrowDown' | 'ArrowUp'];
    if (move !== undefined) {
      setActive((i) => (i + move + candidates.length) % candidates.length);
    } else if (event.key === 'Enter' || event.key === 'Tab') {
      const user = candidates[Math.min(active, candidates.length - 1)];
      if (user) pick(user);
    } else if (event.key === 'Escape') {
      setCaret(-1);
    } else {
      return false;
    }
    event.preventDefault();
    return true;
  };

  // A pasted screenshot is shared as a file; pasted text is left to the textarea.
  const onPaste = (event: ClipboardEvent<HTMLTextAreaElement>) => {
    const files = [...event.clipboardData.files];
    if (files.length === 0) return;
    event.preventDefault();
    for (const file of files) session.uploads.attach(room, file);
  };
  const listId = `${id}-mentions`;

  return (
    <form className="composer" onSubmit={onSubmit}>
      {replying && (
        <div className="composer__reply" role="status">
          <div className="composer__reply-text">
            <span className="composer__reply-label">Replying to {replying.author.name}</span>
            <span className="composer__reply-quote">
              {plainQuote(replying.text.slice(0, limits.replyQuoteChars)) || 'a file'}
            </span>
          </div>
          <button type="button" className="icon-button" aria-label="Cancel reply" onClick={onCancelReply}>
            <svg viewBox="0 0 24 24" width="16" height="16" aria-hidden="true" focusable="false">
              <path d="M6 6l12 12M18 6 6 18" stroke="currentColor" strokeWidth="2" strokeLinecap="round" />
            </svg>
          </button>
        </div>
      )}
      {suggesting && (
        <ul className="mentions" id={listId} role="listbox" aria-label="Mention someone">
          {candidates.map((user, i) => (
            <li
              key={user.id}
              id={`${listId}-${i}`}
              role="option"
              aria-selected={i === active}
              className={i === active ? 'mentions__item mentions__item--active' : 'mentions__item'}
              onPointerDown={(event) => {
                event.preventDefault();
                pick(user);
              }}
            >
              @{user.name}
            </li>
          ))}
        </ul>
      )}
      <ComposerTools room={room} />
      <label htmlFor={id} className="visually-hidden">
        Message
      </label>
      <textarea
        id={id}
        ref={inputRef}
        className="composer__input"
        rows={1}
        value={text}
        maxLength={limits.maxTextChars}
        placeholder={placeholder}
        autoComplete="off"
        enterKeyHint="send"
        role="combobox"
        aria-expanded={suggesting}
        aria-controls={suggesting ? listId : undefined}
        aria-autocomplete="list"
        aria-activedescendant={suggesting ? `${listId}-${active}` : undefined}
        onChange={(event) => {
          setText(event.target.value);
          setCaret(event.target.selectionStart);
          setActive(0);
          if (event.target.value) session.typing(room);
        }}
        onSelect={(event) => setCaret(event.currentTarget.selectionStart)}
        onKeyDown={onKeyDown}
        onPaste={onPaste}
      />
      <button type="submit" className="composer__send" disabled={!canSend} aria-label="Send">
        <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false">
          <path d="M3.4 20.4 21 12 3.4 3.6 3.4 10.2 15 12 3.4 13.8z" fill="currentColor" />
        </svg>
      </button>
    </form>
  );
}
