import { dmParticipants } from '@pockychat/protocol';
import type { User } from '@pockychat/protocol';
import type { Room } from './model.ts';
import type { RoomAccess } from './ports/room-store.ts';
import { ChatError } from './chat-error.ts';

/**
 * Who may read a room: anyone for a public room, members for a private one.
 * A room that does not exist gets the same refusal as a private one, so
 * that a refusal never tells whether a private room exists.
 */
export async function assertCanRead(store: RoomAccess, user: User, roomName: string): Promise<Room> {
  const room = await store.findRoom(roomName);
  if (room && (room.visibility === 'public' || (await store.isMember(room.name, user.id)))) return room;
  throw new ChatError('forbidden', `you may not read ${roomName}`);
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
