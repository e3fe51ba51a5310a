import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { EMOJI_GROUPS, isOneEmoji, readRecentEmoji, rememberEmoji } from './emoji-choices.ts';

interface EmojiPickerProps {
  onPick: (emoji: string) => void;
  onClose: () => void;
}

/** A popover of emoji: recent ones first, a curated grid, and a box for any other emoji. Escape closes it. */
export function EmojiPicker({ onPick, onClose }: EmojiPickerProps) {
  const ref = useRef<HTMLDivElement>(null);
  const [recent] = useState(readRecentEmoji);
  const [typed, setTyped] = useState('');
  const typedOk = isOneEmoji(typed.trim());

  useEffect(() => {
    ref.current?.querySelector('button')?.focus();
    const outside = (event: PointerEvent) => {
      if (!ref.current?.contains(event.target as Node)) onClose();
    };
    document.addEventListener('pointerdown', outside);
    return () => document.removeEventListener('pointerdown', outside);
  }, [onClose]);

  const pick = (emoji: string) => {
    rememberEmoji(emoji);
    onPick(emoji);
    onClose();
  };
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key !== 'Escape') return;
    event.stopPropagation();
    onClose();
  };
  const groups = recent.length > 0 ? [{ label: 'Recent', emoji: recent }, ...EMOJI_GROUPS] : EMOJI_GROUPS;

  return (
    <div className="emoji-picker" role="dialog" aria-label="Choose a reaction" ref={ref} onKeyDown={onKeyDown}>
      {groups.map((group) => (
        <section key={group.label} aria-label={group.label}>
          <h3 className="emoji-picker__label">{group.label}</h3>
          <div className="emoji-picker__grid">
            {group.emoji.map((emoji) => (
              <button
                key={emoji}
                type="button"
                className="emoji-picker__emoji"
                aria-label={emoji}
                onClick={() => pick(emoji)}
              >
                {emoji}
              </button>
            ))}
          </div>
        </section>
      ))}
      <form
        className="emoji-picker__any"
        onSubmit={(event) => {
          event.preventDefault();
          if (typedOk) pick(typed.trim());
        }}
      >
        <input
          aria-label="Any emoji"
          placeholder="Any emoji…"
          value={typed}
          maxLength={32}
          onChange={(event) => setTyped(event.target.value)}
        />
        <button type="submit" className="chip" disabled={!typedOk}>
          React
        </button>
      </form>
    </div>
  );
}
