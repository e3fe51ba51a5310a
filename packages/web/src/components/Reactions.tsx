import { useState } from 'react';
import type { Message } from '@pockychat/protocol';
import { useChatSession } from '../session/session-context.ts';
import { useConversation } from './conversation-context.ts';
import { useLongPress } from './use-long-press.ts';

/** The reactions under a message: one chip per emoji with its count; who reacted on hover or long press. */
export function Reactions({ message }: { message: Message }) {
  const entries = Object.entries(message.reactions).filter(([, users]) => users.length > 0);
  if (entries.length === 0) return null;
  return (
    <ul className="reactions" aria-label="Reactions">
      {entries.map(([emoji, users]) => (
        <ReactionChip key={emoji} message={message} emoji={emoji} users={users} />
      ))}
    </ul>
  );
}

function ReactionChip({ message, emoji, users }: { message: Message; emoji: string; users: string[] }) {
  const session = useChatSession();
  const { me, names } = useConversation();
  const [showWho, setShowWho] = useState(false);
  const longPress = useLongPress(() => setShowWho(true));
  const mine = users.includes(me.id);
  const who = users.map((id) => (id === me.id ? 'you' : names(id))).join(', ');
  return (
    <li className="reactions__item">
      <button
        type="button"
        className={mine ? 'reaction reaction--mine' : 'reaction'}
        aria-pressed={mine}
        aria-label={`${emoji} ${users.length}: ${who}`}
        title={who}
        onClick={() => (showWho ? setShowWho(false) : session.toggleReaction(message, emoji))}
        onContextMenu={(event) => event.preventDefault()}
        onBlur={() => setShowWho(false)}
        {...longPress}
      >
        <span aria-hidden="true">{emoji}</span>
        <span className="reaction__count" aria-hidden="true">
          {users.length}
        </span>
      </button>
      {showWho && (
        <span className="reaction__who" role="tooltip">
          {emoji} {who}
        </span>
      )}
    </li>
  );
}
