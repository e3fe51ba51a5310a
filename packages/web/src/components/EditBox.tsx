import { useEffect, useRef, useState } from 'react';
import { limits, type Message } from '@pockychat/protocol';
import { useChatSession } from '../session/session-context.ts';

/** Edits in place: Enter saves, Shift+Enter adds a line, Escape cancels. */
export function EditBox({ message, onDone }: { message: Message; onDone: () => void }) {
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
