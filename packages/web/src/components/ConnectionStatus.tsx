import { useChatState } from '../state/use-chat-state.ts';

/** Says so when the live connection is down; silent while all is well. */
export function ConnectionStatus() {
  const connection = useChatState((s) => s.connection);
  if (connection === 'online') return null;
  const text = connection === 'connecting' ? 'Connecting…' : 'Reconnecting…';
  return (
    <span className="status-pill" role="status">
      <span className="status-pill__dot" aria-hidden="true" />
      {text}
    </span>
  );
}
