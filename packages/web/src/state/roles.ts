import type { RoleFrame } from '@pockychat/protocol';
import type { ChatState } from './chat-state.ts';

/**
 * A `role` frame: the caller was made a moderator of a room, or a plain
 * member again. The members list (fetched per room) stays the one truth of
 * who is what; this counts the changes so that whoever shows that list
 * fetches it again, and the moderator's actions appear or go without a reload.
 */
export function noteRoleChange(state: ChatState, frame: Pick<RoleFrame, 'room' | 'role'>): ChatState {
  const before = state.roleChanges[frame.room];
  const next = { role: frame.role, count: (before?.count ?? 0) + 1 };
  return { ...state, roleChanges: { ...state.roleChanges, [frame.room]: next } };
}

/** How many times the caller's role in the room changed since the page loaded (0: never). */
export function roleChangesIn(state: ChatState, room: string): number {
  return state.roleChanges[room]?.count ?? 0;
}
