import type { PresenceStatus } from '@pockychat/protocol';
import type { PresenceAudience } from '../../chat/presence.ts';
import type { RoomIndex } from '../room-index.ts';
import type { Connection } from './connection.ts';
import { textFrame } from './text-frame.ts';

/**
 * Rooms with more subscribers on this node than this hear no presence
 * changes live (their members list reads statuses when opened): a change
 * costs at most this many frames per room shared, and a crowd connecting at
 * once does not cost the square of its size.
 */
export const PRESENCE_ROOM_LIMIT = 200;

/** Presence changes to this node's connections: one frame built once, at most once per connection. */
export class PresenceAnnouncer implements PresenceAudience {
  readonly #byUser: ReadonlyMap<string, ReadonlySet<Connection>>;
  readonly #rooms: RoomIndex<Connection>;
  #stamp = 0;

  constructor(byUser: ReadonlyMap<string, ReadonlySet<Connection>>, rooms: RoomIndex<Connection>) {
    this.#byUser = byUser;
    this.#rooms = rooms;
  }

  *roomsOf(userId: string): Iterable<string> {
    for (const connection of this.#byUser.get(userId) ?? []) yield* connection.joined;
  }

  announce(userId: string, status: PresenceStatus, rooms: ReadonlySet<string>): void {
    let frame: Buffer | undefined;
    const stamp = ++this.#stamp;
    for (const room of rooms) {
      if (this.#rooms.size(room) > PRESENCE_ROOM_LIMIT) continue;
      for (const connection of this.#rooms.members(room) ?? []) {
        if (connection.presenceStamp === stamp || connection.user.id === userId) continue;
        connection.presenceStamp = stamp;
        frame ??= textFrame(JSON.stringify({ type: 'presence', userId, status }));
        connection.sendFrame(frame);
      }
    }
  }
}
