import type { Kysely } from 'kysely';
import type { Message } from '@pockychat/protocol';
import type { IndexProgress, SearchCandidate, SearchStore } from '../../chat/ports/search-store.ts';
import type { Database } from '../schema.ts';
import { selectMessages, withReactions } from './rows.ts';

/** A term shorter than this has no trigram: the index cannot find it, a scan of the candidates does. */
export const TRIGRAM = 3;

/** Characters, not UTF-16 units: a trigram is three code points. */
export function isIndexable(term: string): boolean {
  return [...term].length >= TRIGRAM;
}

/** What both databases' search stores share: reading messages and room names. */
export abstract class SqlSearchStore implements SearchStore {
  protected readonly db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.db = db;
  }

  abstract searchCandidates(
    terms: readonly string[],
    rooms: readonly string[],
    cap: number,
  ): Promise<SearchCandidate[]>;
  abstract indexExisting(report: (progress: IndexProgress) => void, stopped: () => boolean): Promise<void>;
  abstract pendingCount(): Promise<number>;
  abstract indexPending(max: number): Promise<number>;

  async messagesByIds(ids: readonly string[]): Promise<Message[]> {
    if (ids.length === 0) return [];
    const rows = await selectMessages(this.db).where('messages.id', 'in', ids).execute();
    return withReactions(this.db, rows);
  }

  async publicRoomNames(): Promise<string[]> {
    const rows = await this.db.selectFrom('rooms').select('name').where('visibility', '=', 'public').execute();
    return rows.map((row) => row.name);
  }

  async memberRoomNames(userId: string): Promise<string[]> {
    const rows = await this.db.selectFrom('memberships').select('room').where('user_id', '=', userId).execute();
    return rows.map((row) => row.room);
  }
}
