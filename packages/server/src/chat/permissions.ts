import { dmParticipants, isGroupDmRoom } from '@pockychat/protocol';
import type { User } from '@pockychat/protocol';
import type { Room } from './model.ts';
import type { GroupDmStore } from './ports/group-dm-store.ts';
import type { RoomAccess } from './ports/room-store.ts';
import { ChatError } from './chat-error.ts';
import { bannedFrom } from './moderation-gate.ts';

/**
 * Who may read a room: anyone for a public room, members for a private one,
 * and never one banned from it. A ban ends the membership, but a join or a
 * merge racing it can leave one, so the ban is what is checked. A room that
 * does not exist gets the same refusal as a private one, so that a refusal
 * never tells whether a private room exists.
 */
export async function assertCanRead(store: RoomAccess, user: User, roomName: string): Promise<Room> {
  const room = await store.findRoom(roomName);
  const admitted = room && (room.visibility === 'public' || (await store.isMember(room.name, user.id)));
  if (!admitted) throw new ChatError('forbidden', `you may not read ${roomName}`);
  if (await store.moderation.isBanned(room.name, user.id)) throw bannedFrom(roomName);
  return room;
}

/** Only the two users a direct-message room names may be in it. */
export function assertDmParticipant(user: User, roomName: string): [string, string] | undefined {
  const pair = dmParticipants(roomName);
  if (!pair) return undefined;
  const [a, b] = pair;
  if (a >= b) throw new ChatError('bad_request', 'a direct-message room names its two user ids in code-unit order');
  if (user.id !== a && user.id !== b) throw new ChatError('forbidden', `you may not join ${roomName}`);
  return pair;
}

/**
 * Only a group DM's participants may join it (true: the user is one);
 * undefined for any other room. A group DM is made by POST /group-dms,
 * never by a join, so an unknown one is refused like a foreign one.
 */
export async function assertGroupDmParticipant(
  store: Pick<GroupDmStore, 'isGroupDmParticipant'>,
  user: User,
  roomName: string,
): Promise<true | undefined> {
  if (!isGroupDmRoom(roomName)) return undefined;
  if (!(await store.isGroupDmParticipant(roomName, user.id)))
    throw new ChatError('forbidden', `you may not join ${roomName}`);
  return true;
}
