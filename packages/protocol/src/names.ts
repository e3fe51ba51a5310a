import { z } from 'zod';

/** A named room: lower-case letters, digits, `_` and `-`, at most 64 characters. */
export const namedRoomPattern = /^[a-z0-9][a-z0-9_-]{0,63}$/;
/** User ids are server-made: lower-case letters and digits only, so `:` can separate them. */
export const userIdPattern = /^[a-z0-9]{1,40}$/;
export const dmRoomPattern = /^dm:([a-z0-9]{1,40}):([a-z0-9]{1,40})$/;
/** A group direct-message room (3 to 8 people): a random server-made id; its participants are stored. */
export const groupDmRoomPattern = /^gdm:[a-z0-9]{1,40}$/;

export const LOBBY = 'lobby';

export const RoomName = z
  .string()
  .max(100)
  .refine((name) => namedRoomPattern.test(name) || dmRoomPattern.test(name) || groupDmRoomPattern.test(name), {
    message:
      'a room name is 1-64 of a-z, 0-9, _ and -, starting with a letter or digit, or dm:<idA>:<idB>, or gdm:<id>',
  });
export type RoomName = z.infer<typeof RoomName>;

/** The two user ids of a direct-message room, or undefined for a named room. */
export function dmParticipants(room: string): [string, string] | undefined {
  const match = dmRoomPattern.exec(room);
  if (!match) return undefined;
  return [match[1] as string, match[2] as string];
}

/** The direct-message room of two users: ids in code-unit order. */
export function dmRoomName(a: string, b: string): string {
  return a < b ? `dm:${a}:${b}` : `dm:${b}:${a}`;
}

/** Whether the room is a group direct-message room (`gdm:<id>`). */
export function isGroupDmRoom(room: string): boolean {
  return groupDmRoomPattern.test(room);
}
