import { sql, type Kysely } from 'kysely';
import type { IndexProgress, SearchCandidate } from '../../chat/ports/search-store.ts';
import type { Database } from '../schema.ts';
import { isIndexable, SqlSearchStore } from './search-sql-store.ts';

/**
 * A query of one- and two-character terms only (a two-character Chinese
 * word) has no trigram to look up: it reads the newest messages one by one,
 * at most this many, so that it cannot hold the event loop for long.
 */
export const SHORT_TERMS_SCAN = 50_000;

/** Messages indexed per transaction at start: a few tens of milliseconds each, between other writes. */
export const SQLITE_INDEX_BATCH = 5000;

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
 * terms, on the readable rooms' messages newest first.
 */
export class SqliteSearchStore extends SqlSearchStore {
  constructor(db: Kysely<Database>) {
    super(db);
  }

  async searchCandidates(terms: readonly string[], rooms: readonly string[], cap: number): Promise<SearchCandidate[]> {
    const indexed = terms.filter(isIndexable);
    const short = terms.filter((term) => !isIndexable(term));
    const roomList = JSON.stringify(rooms);
    // lower() folds ASCII only: a short non-ASCII term with capitals in the text may be missed here.
    const shortChecks = short.map((term) => sql` and instr(lower(m.text), ${term}) > 0`);
    const query =
      indexed.length > 0
        ? // CROSS JOIN keeps the FTS table outside: its rowid order (newest first) drives the scan and the limit.
          sql<CandidateRow>`select m.row_id as "order", m.id, m.room, m.text
            from messages_fts f cross join messages m
            where messages_fts match ${matchExpression(indexed)} and m.row_id = f.rowid and m.deleted = 0
              and m.room in (select value from json_each(${roomList}))${sql.join(shortChecks, sql``)}
            order by f.rowid desc limit ${cap}`
        : // "+m.room": no index on room, so the scan goes by row_id, newest first, and stops at the limit.
          sql<CandidateRow>`select m.row_id as "order", m.id, m.room, m.text from messages m
            where m.row_id > (select coalesce(max(row_id), 0) from messages) - ${SHORT_TERMS_SCAN}
              and m.deleted = 0 and +m.room in (select value from json_each(${roomList}))${sql.join(shortChecks, sql``)}
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
}

/** FTS5's query syntax: each term a quoted string (a phrase keeps its spaces), all of them required. */
export function matchExpression(terms: readonly string[]): string {
  return terms.map((term) => `"${term.replaceAll('"', '""')}"`).join(' AND ');
}
