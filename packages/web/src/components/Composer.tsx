import { useId, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { limits } from '@pockychat/protocol';
import { useChatSession } from '../session/session-context.ts';

/** The message box: Enter sends, Shift+Enter adds a line. */
export function Composer({ room, placeholder }: { room: string; placeholder: string }) {
  const session = useChatSession();
  const [text, setText] = useState('');
  const inputRef = useRef<HTMLTextAreaElement>(null);
  const id = useId();
  const canSend = text.trim().length > 0;

  const send = () => {
    if (!canSend) return;
    session.sendMessage(room, text);
    setText('');
    inputRef.current?.focus();
  };
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    send();
  };
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    // isComposing: Enter that confirms an IME candidate (Japanese, Chinese…) must not send.
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      send();
    }
  };

  return (
    <form className="composer" onSubmit={onSubmit}>
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
        onChange={(event) => {
          setText(event.target.value);
          if (event.target.value) session.typing(room);
        }}
        onKeyDown={onKeyDown}
      />
      <button type="submit" className="composer__send" disabled={!canSend} aria-label="Send">
        <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false">
          <path d="M3.4 20.4 21 12 3.4 3.6 3.4 10.2 15 12 3.4 13.8z" fill="currentColor" />
        </svg>
      </button>
    </form>
  );
}
