import { dmParticipants, isGroupDmRoom, type User } from '@pockychat/protocol';

/**
 * How a room is named in the UI: `# name` rooms, a DM by the other person's name, a group DM by
 * the others' names.
 */
export function roomLabel(
  room: string,
  me: User | null,
  users: Record<string, User>,
  groupDms: Record<string, readonly string[]> = {},
): string {
  if (isGroupDmRoom(room)) return groupLabel(groupDms[room] ?? [], me, users);
  const pair = dmParticipants(room);
  if (!pair) return room;
  const otherId = pair[0] === me?.id ? pair[1] : pair[0];
  return users[otherId]?.name ?? 'Direct message';
}

function groupLabel(ids: readonly string[], me: User | null, users: Record<string, User>): string {
  const names = ids
    .filter((id) => id !== me?.id)
    .map((id) => users[id]?.name ?? 'someone')
    .sort((a, b) => a.localeCompare(b));
  return names.length > 0 ? names.join(', ') : 'Group message';
}

/** A DM or a group DM: a conversation of people, not a named room. */
export function isDirectRoom(room: string): boolean {
  return dmParticipants(room) !== undefined || isGroupDmRoom(room);
}
