import type { UnreadCounts } from '@pockychat/protocol';
import type { ReadStore } from '../../chat/ports/read-store.ts';
import type { MemoryTables } from './tables.ts';

/** Read markers in memory: the rules of sql/sql-read-store.ts. */
export class MemoryReadStore implements ReadStore {
  readonly #t: MemoryTables;

  constructor(tables: MemoryTables) {
    this.#t = tables;
  }

  async markRead(userId: string, room: string, seq: number): Promise<boolean> {
    this.#t.userRow(userId);
    this.#t.roomRow(room);
    if (seq <= 0) return false;
    let markers = this.#t.readMarkers.get(room);
    if (!markers) this.#t.readMarkers.set(room, (markers = new Map<string, number>()));
    if (seq <= (markers.get(userId) ?? 0)) return false;
    markers.set(userId, seq);
    return true;
  }

  async readSeq(userId: string, room: string): Promise<number> {
    return this.#t.readMarkers.get(room)?.get(userId) ?? 0;
  }

  async unreadCounts(userId: string): Promise<Map<string, UnreadCounts>> {
    const counts = new Map<string, UnreadCounts>();
    for (const [room, members] of this.#t.memberships) {
      if (!members.has(userId)) continue;
      const readSeq = this.#t.readMarkers.get(room)?.get(userId) ?? 0;
      // Seq n is at index n - 1: what follows the marker starts at index readSeq.
      const after = (this.#t.roomMessages.get(room) ?? []).slice(readSeq);
      const unread = after.filter((row) => row.authorId !== userId && !row.deleted);
      const mentions = unread.filter((row) => row.mentions.includes(userId)).length;
      const lastSeq = this.#t.roomRow(room).lastSeq;
      counts.set(room, { readSeq, unread: unread.length, mentions, lastSeq });
    }
    return counts;
  }
}
