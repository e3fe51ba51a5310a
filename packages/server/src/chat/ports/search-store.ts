import type { Message } from '@pockychat/protocol';

/** A message that contains every term of a query, before ranking. */
export interface SearchCandidate {
  id: string;
  room: string;
  text: string;
  /** Larger is newer (the store's insertion order): the tie-break after relevance. */
  order: number;
}

/** How far the indexing of messages stored before search existed has gone. */
export interface IndexProgress {
  indexed: number;
  total: number;
  done: boolean;
}

/**
 * Full-text search's storage. The domain folds and splits the query
 * (search-query.ts) and ranks what comes back (search-ranking.ts); a store
 * only finds messages by substring, fast, in the rooms it is given.
 */
export interface SearchStore {
  /**
   * Messages of these rooms that contain every term (folded: lower case, no
   * accents; a term may hold spaces, a phrase), deleted ones never, newest
   * first, at most `cap`. May return a few more than match exactly (the
   * domain checks each again), never fewer.
   */
  searchCandidates(terms: readonly string[], rooms: readonly string[], cap: number): Promise<SearchCandidate[]>;
  /** These messages as history gives them, in no particular order; ids not found are left out. */
  messagesByIds(ids: readonly string[]): Promise<Message[]>;
  /** The names of every public room. */
  publicRoomNames(): Promise<string[]>;
  /** The names of the rooms this user is a member of. */
  memberRoomNames(userId: string): Promise<string[]>;
  /**
   * Indexes the messages stored before the index existed, in batches,
   * reporting after each; resumes where a previous run stopped. Returns when
   * done or when `stopped()` turns true. New messages, edits and deletes are
   * indexed in their own transactions whatever this has done.
   */
  indexExisting(report: (progress: IndexProgress) => void, stopped: () => boolean): Promise<void>;
  /**
   * How many messages are stored but not in the index yet: searches find
   * them all the same (by a scan), and indexPending catches up. Always 0 for
   * a store that indexes in the message's own transaction.
   */
  pendingCount(): Promise<number>;
  /** Indexes up to `max` of the pending messages, oldest first, in one transaction; returns how many it took. */
  indexPending(max: number): Promise<number>;
}
