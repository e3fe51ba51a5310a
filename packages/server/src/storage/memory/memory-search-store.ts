import type { Message } from '@pockychat/protocol';
import type { IndexProgress, SearchCandidate, SearchStore } from '../../chat/ports/search-store.ts';
import { containsAll } from '../../chat/search-query.ts';
import type { MemoryTables } from './tables.ts';

/** Search by scanning every message: no index, the same answers; for tests of the domain. */
export class MemorySearchStore implements SearchStore {
  readonly #tables: MemoryTables;

  constructor(tables: MemoryTables) {
    this.#tables = tables;
  }

  async searchCandidates(terms: readonly string[], rooms: readonly string[], cap: number): Promise<SearchCandidate[]> {
    const readable = new Set(rooms);
    const found: SearchCandidate[] = [];
    let order = 0;
    // The Map keeps insertion order: a later message has a larger order.
    for (const row of this.#tables.messages.values()) {
      order++;
      if (row.deleted || !readable.has(row.room)) continue;
      if (containsAll(row.text, terms)) found.push({ id: row.id, room: row.room, text: row.text, order });
    }
    return found.reverse().slice(0, cap);
  }

  async messagesByIds(ids: readonly string[]): Promise<Message[]> {
    return ids.flatMap((id) => {
      const row = this.#tables.messages.get(id);
      return row ? [this.#tables.message(row)] : [];
    });
  }

  async publicRoomNames(): Promise<string[]> {
    return [...this.#tables.rooms.values()].filter((room) => room.visibility === 'public').map((room) => room.name);
  }

  async memberRoomNames(userId: string): Promise<string[]> {
    return [...this.#tables.memberships].filter(([, members]) => members.has(userId)).map(([room]) => room);
  }

  async indexExisting(report: (progress: IndexProgress) => void): Promise<void> {
    const total = this.#tables.messages.size;
    report({ indexed: total, total, done: true });
  }

  async pendingCount(): Promise<number> {
    return 0;
  }

  async indexPending(): Promise<number> {
    return 0;
  }
}
