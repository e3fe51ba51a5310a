import { useEffect, useState } from 'react';
import type { RoomState } from '../state/chat-state.ts';
import { typingUsers } from '../state/timeline.ts';

/** "Bob is typing…", gone by itself when the last typing frame grows stale. */
export function TypingIndicator({ room }: { room: RoomState }) {
  const [now, setNow] = useState(() => Date.now());
  const entries = Object.values(room.typing);

  useEffect(() => {
    const next = Math.min(...entries.map((e) => e.until).filter((until) => until > Date.now()));
    if (!Number.isFinite(next)) return undefined;
    const timer = setTimeout(() => setNow(Date.now()), next - Date.now() + 50);
    return () => clearTimeout(timer);
  });

  const users = typingUsers(room, Math.max(now, Date.now()));
  return (
    <div className="typing" aria-live="polite">
      {users.length > 0 && (
        <>
          <span className="typing__dots" aria-hidden="true">
            <span />
            <span />
            <span />
          </span>
          {describe(users.map((u) => u.name))}
        </>
      )}
    </div>
  );
}

function describe(names: string[]): string {
  if (names.length === 1) return `${names[0]} is typing…`;
  if (names.length === 2) return `${names[0]} and ${names[1]} are typing…`;
  return `${names.length} people are typing…`;
}
