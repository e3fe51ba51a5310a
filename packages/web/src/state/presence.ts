import type { PresenceStatus } from '@pockychat/protocol';
import type { ChatState } from './chat-state.ts';

/** Takes in statuses (a frame's one, or an HTTP answer's many); the same state when nothing changed. */
export function setPresence(state: ChatState, statuses: Record<string, PresenceStatus>): ChatState {
  let next: Record<string, PresenceStatus> | undefined;
  for (const [userId, status] of Object.entries(statuses)) {
    if (state.presence[userId] === status) continue;
    next ??= { ...state.presence };
    next[userId] = status;
  }
  return next ? { ...state, presence: next } : state;
}
