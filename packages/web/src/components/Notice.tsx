import { useChatState } from '../state/use-chat-state.ts';
import { useChatSession } from '../session/session-context.ts';

export function Notice() {
  const session = useChatSession();
  const notice = useChatState((s) => s.notice);
  if (!notice) return null;
  return (
    <div className="notice" role="alert">
      <span>{notice}</span>
      <button type="button" className="icon-button" aria-label="Dismiss" onClick={() => session.dismissNotice()}>
        ×
      </button>
    </div>
  );
}
