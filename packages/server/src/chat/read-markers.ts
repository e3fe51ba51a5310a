import type { RoomSummary, User } from '@pockychat/protocol';
import type { Fanout } from '../fanout/fanout.ts';
import { assertCanRead } from './permissions.ts';
import type { ReadStore } from './ports/read-store.ts';
import type { RoomAccess } from './ports/room-store.ts';

export interface ReadDeps {
  store: RoomAccess & ReadStore;
  fanout: Fanout;
}

/**
 * Moves the user's marker in a room forward, to at most the room's last
 * seq (a client cannot mark read what was never sent), and tells the
 * user's other connections, on every node, when it moved; the one that
 * asked is left out (`exceptConnection`): it knows.
 */
export async function markRead(
  deps: ReadDeps,
  user: User,
  roomName: string,
  seq: number,
  connectionId: string | undefined,
): Promise<void> {
  const room = await assertCanRead(deps.store, user, roomName);
  const upTo = Math.min(seq, room.lastSeq);
  if (!(await deps.store.markRead(user.id, roomName, upTo))) return;
  deps.fanout.publish({
    to: 'user',
    userId: user.id,
    frame: { type: 'read', room: roomName, seq: upTo },
    ...(connectionId !== undefined && { exceptConnection: connectionId }),
  });
}

/** The room list with the user's markers and unread counts on the rooms it is a member of. */
export async function withUnreadCounts(store: ReadStore, userId: string, rooms: RoomSummary[]): Promise<RoomSummary[]> {
  const counts = await store.unreadCounts(userId);
  return rooms.map((room) => {
    const mine = counts.get(room.name);
    return mine ? { ...room, ...mine } : room;
  });
}
