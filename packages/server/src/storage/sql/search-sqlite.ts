import { sql, type Kysely } from 'kysely';
import type { IndexProgress, SearchCandidate } from '../../chat/ports/search-store.ts';
import type { Database } from '../schema.ts';
import { containsAll } from '../../chat/search-query.ts';
import { isIndexable, SqlSearchStore } from './search-sql-store.ts';

/**
 * A query of one- and two-character terms only (a two-character Chinese
 * word) has no trigram to look up: it reads the newest messages one by one,
 * at most this many, so that it cannot hold the event loop for long.
 */
export const SHORT_TERMS_SCAN = 50_000;

/** Messages indexed per transaction at start: a few tens of milliseconds each, between other writes. */
export const SQLITE_INDEX_BATCH = 5000;

/**
 * The most pending messages a search reads. The live indexer keeps the
 * tail well below it (search-live-indexing.ts, maxPending); beyond it, the
 * oldest pending ones would be missed until indexed.
 */
export const PENDING_SCAN = 40_000;

interface CandidateRow {
  order: number;
  id: string;
  room: string;
  text: string;
}

/**
 * SQLite: FTS5's trigram index (migration 0006) finds the terms of three
 * characters or more; shorter ones (a two-character Chinese word) are
 * checked with instr() on the candidates, or, when a query has only short
 * terms, on the readable rooms' messages newest first. Messages not
 * indexed yet (migration 0010's pending tail) are read and checked here,
 * so a search finds a message from the moment it is stored.
 */
export class SqliteSearchStore extends SqlSearchStore {
  constructor(db: Kysely<Database>) {
    super(db);
  }

  async searchCandidates(terms: readonly string[], rooms: readonly string[], cap: number): Promise<SearchCandidate[]> {
    const indexed = terms.filter(isIndexable);
    // Only short terms: the scan of the newest messages covers the pending ones too.
    if (indexed.length === 0) return this.#newestMatches(terms, rooms, cap);
    // The pending tail first: a batch of the live indexer committing between the two reads moves
    // messages from the tail into the index, so they may be read twice (kept once), never missed.
    const pending = await this.#pendingMatches(terms, rooms, cap);
    if (pending.length >= cap) return pending;
    const seen = new Set(pending.map((candidate) => candidate.id));
    const found = await this.#indexedMatches(indexed, terms, rooms, cap);
    return [...pending, ...found.filter((candidate) => !seen.has(candidate.id))].slice(0, cap);
  }

  /** The index's matches, newest first; short terms checked with instr() on them. */
  async #indexedMatches(
    indexed: readonly string[],
    terms: readonly string[],
    rooms: readonly string[],
    cap: number,
  ): Promise<SearchCandidate[]> {
    // CROSS JOIN keeps the FTS table outside: its rowid order (newest first) drives the scan and the limit.
    const query = sql<CandidateRow>`select m.row_id as "order", m.id, m.room, m.text
      from messages_fts f cross join messages m
      where messages_fts match ${matchExpression(indexed)} and m.row_id = f.rowid and m.deleted = 0
        and m.room in (select value from json_each(${JSON.stringify(rooms)}))${shortChecks(terms)}
      order by f.rowid desc limit ${cap}`;
    return (await query.execute(this.db)).rows;
  }

  /** The pending messages (not indexed yet) that hold every term, newest first. */
  async #pendingMatches(terms: readonly string[], rooms: readonly string[], cap: number): Promise<SearchCandidate[]> {
    // An ASCII text (as many bytes as characters) is folded by lower() alone: those are checked
    // in SQL, the others by fold() below. (GLOB '*[^…]*' costs three times the whole scan.)
    const asciiChecks = terms.map((term) => sql`instr(lower(m.text), ${term}) > 0`);
    // "+m.room": the scan goes by row_id from the tail's start, not by the room index.
    const query = sql<CandidateRow>`select m.row_id as "order", m.id, m.room, m.text from messages m
      where m.row_id >= (select from_row from search_pending where id = 1)
        and m.deleted = 0 and +m.room in (select value from json_each(${JSON.stringify(rooms)}))
        and (octet_length(m.text) > length(m.text) or (${sql.join(asciiChecks, sql` and `)}))
      order by m.row_id desc limit ${PENDING_SCAN}`;
    const { rows } = await query.execute(this.db);
    return rows.filter((row) => containsAll(row.text, terms)).slice(0, cap);
  }

  /** A query of short terms only: the newest messages read one by one, SHORT_TERMS_SCAN at most. */
  async #newestMatches(terms: readonly string[], rooms: readonly string[], cap: number): Promise<SearchCandidate[]> {
    // "+m.room": no index on room, so the scan goes by row_id, newest first, and stops at the limit.
    const query = sql<CandidateRow>`select m.row_id as "order", m.id, m.room, m.text from messages m
      where m.row_id > (select coalesce(max(row_id), 0) from messages) - ${SHORT_TERMS_SCAN}
        and m.deleted = 0 and +m.room in (select value from json_each(${JSON.stringify(rooms)}))${shortChecks(terms)}
      order by m.row_id desc limit ${cap}`;
    return (await query.execute(this.db)).rows;
  }

  /**
   * From the newest unindexed message down, SQLITE_INDEX_BATCH row ids per
   * transaction: their index rows are replaced (an edit since the migration
   * may have indexed one already), and next_below moves down in the same
   * commit, so a crash resumes at the batch it was in.
   */
  async indexExisting(report: (progress: IndexProgress) => void, stopped: () => boolean): Promise<void> {
    const state = await this.db.selectFrom('search_index').select('next_below').where('id', '=', 1).executeTakeFirst();
    let nextBelow = state?.next_below ?? 0;
    const total = nextBelow - 1;
    while (nextBelow > 1 && !stopped()) {
      const high = nextBelow - 1;
      const low = Math.max(1, high - SQLITE_INDEX_BATCH + 1);
      await this.db.transaction().execute(async (trx) => {
        await sql`delete from messages_fts where rowid between ${low} and ${high}`.execute(trx);
        await sql`insert into messages_fts (rowid, text)
          select row_id, text from messages where row_id between ${low} and ${high} and deleted = 0`.execute(trx);
        await trx.updateTable('search_index').set({ next_below: low }).where('id', '=', 1).execute();
      });
      nextBelow = low;
      report({ indexed: total - (nextBelow - 1), total, done: nextBelow <= 1 });
      // Lets the requests and commits waiting meanwhile go first.
      await new Promise((resolve) => setImmediate(resolve));
    }
    if (total <= 0) report({ indexed: 0, total: 0, done: true });
  }

  async pendingCount(): Promise<number> {
    const row = await sql<{
      pending: number;
    }>`select max(0, (select coalesce(max(row_id), 0) from messages) + 1 - from_row)
      as pending from search_pending where id = 1`.execute(this.db);
    return row.rows[0]?.pending ?? 0;
  }

  /**
   * The oldest pending messages into the index, with the text they have
   * now, and the tail's start moved past them in the same commit: a crash
   * leaves them pending, never indexed twice. The tail was never in the
   * index (the update trigger skips it), so nothing is deleted first.
   */
  async indexPending(max: number): Promise<number> {
    return this.db.transaction().execute(async (trx) => {
      const { rows } = await sql<{ from: number; top: number }>`select from_row as "from",
        (select coalesce(max(row_id), 0) from messages) as top from search_pending where id = 1`.execute(trx);
      const state = rows[0];
      if (!state || state.top < state.from) return 0;
      const to = Math.min(state.top, state.from + max - 1);
      await sql`insert into messages_fts (rowid, text)
        select row_id, text from messages where row_id between ${state.from} and ${to} and deleted = 0`.execute(trx);
      await sql`update search_pending set from_row = ${to + 1} where id = 1`.execute(trx);
      return to - state.from + 1;
    });
  }
}

/** instr() checks of the terms the trigram index cannot look up; lower() folds ASCII only. */
function shortChecks(terms: readonly string[]) {
  const checks = terms.filter((term) => !isIndexable(term)).map((term) => sql` and instr(lower(m.text), ${term}) > 0`);
  return sql.join(checks, sql``);
}

/** FTS5's query syntax: each term a quoted string (a phrase keeps its spaces), all of them required. */
export function matchExpression(terms: readonly string[]): string {
  return terms.map((term) => `"${term.replaceAll('"', '""')}"`).join(' AND ');
}
