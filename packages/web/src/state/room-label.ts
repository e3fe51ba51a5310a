import { dmParticipants, type User } from '@pockychat/protocol';

/** How a room is named in the UI: `# name` rooms, and a DM by the other person's name. */
export function roomLabel(room: string, me: User | null, users: Record<string, User>): string {
  const pair = dmParticipants(room);
  if (!pair) return room;
  const otherId = pair[0] === me?.id ? pair[1] : pair[0];
  return users[otherId]?.name ?? 'Direct message';
}

export function isDirectRoom(room: string): boolean {
  return dmParticipants(room) !== undefined;
}
