import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { IndexProgress, SearchCandidate } from '../../chat/ports/search-store.ts';
import type { Database } from '../schema.ts';
import { isIndexable, SqlSearchStore } from './search-sql-store.ts';

/** Messages indexed per transaction at start. */
export const POSTGRES_INDEX_BATCH = 5000;

/**
 * The newest row ids looked at first, then more: PostgreSQL's GIN index
 * gives every match of a term at once, unordered, and fetching 30,000
 * matches of a common word to keep the newest 300 cost half a second. The
 * newest 65,536 are read in key order first (bounded work, enough for any
 * word in more than about one message in 400); a rarer one goes through the
 * GIN index over the whole table, which then has few rows to fetch.
 * A query of one- and two-character terms only (no trigram) reads its one
 * window, as SQLite does.
 */
const WINDOWS = [65_536, Infinity] as const;
/** The one window of a query of short terms only: the newest messages it reads, as SQLite's SHORT_TERMS_SCAN. */
const SHORT_WINDOW = [50_000] as const;

interface CandidateRow {
  order: number;
  id: string;
  room: string;
  text: string;
}

/** LIKE's wildcards and escape taken literally. */
function likeEscape(term: string): string {
  return term.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * PostgreSQL: message_search (migration 0006) holds each message's folded
 * text under a pg_trgm GIN index; a term of three characters or more is a
 * LIKE '%term%' the index serves, a shorter one a strpos() on the rows the
 * others (or the window) leave. The terms are folded by the same function
 * as the texts (unaccent's ß is ss, which the domain's fold() leaves alone:
 * the domain's own check decides).
 */
export class PostgresSearchStore extends SqlSearchStore {
  constructor(db: Kysely<Database>) {
    super(db);
  }

  async searchCandidates(terms: readonly string[], rooms: readonly string[], cap: number): Promise<SearchCandidate[]> {
    const checks: RawBuilder<unknown>[] = terms.map((term) =>
      isIndexable(term)
        ? sql` and s.text like pockychat_fold(${`%${likeEscape(term)}%`})`
        : sql` and strpos(s.text, pockychat_fold(${term})) > 0`,
    );
    const newest = await sql<{ max: number | null }>`select max(row_id) as max from message_search`.execute(this.db);
    const top = Number(newest.rows[0]?.max ?? 0);
    const indexed = terms.some(isIndexable);
    let found: Array<{ row_id: number }> = [];
    for (const [i, window] of (indexed ? WINDOWS : SHORT_WINDOW).entries()) {
      const floor = Number.isFinite(window) ? top - window : 0;
      // The first window walks down the primary key, checking each row: a common word fills the
      // cap there, in a few thousand rows. The whole table orders by "row_id + 0", which the key
      // cannot give: the GIN index finds the rows (a rare word's few), not a walk of every row.
      const order = i === 0 ? sql`s.row_id desc` : sql`s.row_id + 0 desc`;
      found = (
        await sql<{ row_id: number }>`select s.row_id from message_search s
          where s.row_id > ${floor} and s.room = any(${[...rooms]}::text[])${sql.join(checks, sql``)}
          order by ${order} limit ${cap}`.execute(this.db)
      ).rows;
      if (found.length >= cap || floor <= 0) break;
    }
    if (found.length === 0) return [];
    const { rows } = await sql<CandidateRow>`select row_id as "order", id, room, text from messages
      where row_id = any(${found.map((r) => r.row_id)}::bigint[]) and deleted = 0`.execute(this.db);
    return rows.map((row) => ({ ...row, order: Number(row.order) })).sort((a, b) => b.order - a.order);
  }

  /**
   * As on SQLite: from the newest unindexed message down, a batch of row ids
   * per transaction, next_below moved in the same commit (resumable). The
   * rows' folded text goes in message_search, its GIN index updated as it goes.
   */
  async indexExisting(report: (progress: IndexProgress) => void, stopped: () => boolean): Promise<void> {
    const state = await this.db.selectFrom('search_index').select('next_below').where('id', '=', 1).executeTakeFirst();
    let nextBelow = Number(state?.next_below ?? 0);
    const total = nextBelow - 1;
    while (nextBelow > 1 && !stopped()) {
      const high = nextBelow - 1;
      const low = Math.max(1, high - POSTGRES_INDEX_BATCH + 1);
      await this.db.transaction().execute(async (trx) => {
        await sql`insert into message_search (row_id, room, text)
          select row_id, room, pockychat_fold(text) from messages where row_id between ${low} and ${high} and deleted = 0
          on conflict (row_id) do update set room = excluded.room, text = excluded.text`.execute(trx);
        // least(): with several nodes indexing at once, the position only moves down.
        await sql`update search_index set next_below = least(next_below, ${low}) where id = 1`.execute(trx);
      });
      nextBelow = low;
      report({ indexed: total - (nextBelow - 1), total, done: nextBelow <= 1 });
      await new Promise((resolve) => setImmediate(resolve));
    }
    if (total <= 0) report({ indexed: 0, total: 0, done: true });
  }

  /** Triggers index each message in its own transaction (GIN's pending list keeps that cheap). */
  async pendingCount(): Promise<number> {
    return 0;
  }

  async indexPending(): Promise<number> {
    return 0;
  }
}
