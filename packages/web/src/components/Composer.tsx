import { useId, useRef, useState, type ClipboardEvent, type FormEvent, type KeyboardEvent } from 'react';
import { limits } from '@pockychat/protocol';
import { useChatSession } from '../session/session-context.ts';
import { ComposerTools } from './ComposerTools.tsx';

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

  // A pasted screenshot is shared as a file; pasted text is left to the textarea.
  const onPaste = (event: ClipboardEvent<HTMLTextAreaElement>) => {
    const files = [...event.clipboardData.files];
    if (files.length === 0) return;
    event.preventDefault();
    for (const file of files) session.uploads.attach(room, file);
  };

  return (
    <form className="composer" onSubmit={onSubmit}>
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
        onChange={(event) => {
          setText(event.target.value);
          if (event.target.value) session.typing(room);
        }}
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
