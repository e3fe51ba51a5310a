import type { PresenceStatus } from '@pockychat/protocol';
import { useChatState } from '../state/use-chat-state.ts';

const labels: Record<PresenceStatus, string> = { online: 'online', away: 'away', offline: 'offline' };

/** Online green, away hollow amber, offline grey; its status also in words for screen readers. */
export function PresenceDot({ userId, fallback }: { userId: string; fallback?: PresenceStatus | undefined }) {
  const status = useChatState((s) => s.presence[userId]) ?? fallback ?? 'offline';
  return (
    <span className={`presence-dot presence-dot--${status}`} data-presence={status} title={labels[status]}>
      <span className="visually-hidden">{`, ${labels[status]}`}</span>
    </span>
  );
}
