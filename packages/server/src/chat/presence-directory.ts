import type { PresenceStatus } from '@pockychat/protocol';
import type { PresenceNote } from './presence-note.ts';

interface RemoteEntry {
  status: PresenceStatus;
  visible: boolean;
  rooms: string[];
  seenAt: number;
}

/**
 * What the other nodes said of their users: user → node → entry. An entry
 * lives until its node says the user is offline, or until no snapshot
 * renewed it for a while (its node died).
 */
export class PresenceDirectory {
  readonly #users = new Map<string, Map<string, RemoteEntry>>();

  /** Applies a node's note; returns the rooms the user had there before, if it had an entry. */
  apply(node: string, note: PresenceNote, now: number): readonly string[] | undefined {
    let nodes = this.#users.get(note.userId);
    const before = nodes?.get(node)?.rooms;
    if (note.status === 'offline') {
      nodes?.delete(node);
      if (nodes?.size === 0) this.#users.delete(note.userId);
      return before;
    }
    if (!nodes) this.#users.set(note.userId, (nodes = new Map<string, RemoteEntry>()));
    nodes.set(node, { status: note.status, visible: note.visible, rooms: note.rooms, seenAt: now });
    return before;
  }

  /** Drops the entries no snapshot renewed since `before`; returns their users with the rooms they had. */
  expire(before: number): Array<{ userId: string; rooms: string[] }> {
    const gone: Array<{ userId: string; rooms: string[] }> = [];
    for (const [userId, nodes] of this.#users) {
      for (const [node, entry] of nodes) {
        if (entry.seenAt >= before) continue;
        nodes.delete(node);
        gone.push({ userId, rooms: entry.rooms });
      }
      if (nodes.size === 0) this.#users.delete(userId);
    }
    return gone;
  }

  /** The best status of a user over the other nodes. */
  statusOf(userId: string): PresenceStatus {
    let best: PresenceStatus = 'offline';
    for (const entry of this.#users.get(userId)?.values() ?? []) {
      if (entry.status === 'online') return 'online';
      best = 'away';
    }
    return best;
  }

  hasVisibleTab(userId: string): boolean {
    for (const entry of this.#users.get(userId)?.values() ?? []) if (entry.visible) return true;
    return false;
  }

  /** The rooms a user joined on the other nodes. */
  *roomsOf(userId: string): Iterable<string> {
    for (const entry of this.#users.get(userId)?.values() ?? []) yield* entry.rooms;
  }
}
