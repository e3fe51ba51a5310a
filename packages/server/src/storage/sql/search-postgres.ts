import { sql, type Kysely } from 'kysely';
import type { IndexProgress, SearchCandidate } from '../../chat/ports/search-store.ts';
import type { Database } from '../schema.ts';
import { SqlSearchStore } from './search-sql-store.ts';

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
 * PostgreSQL: a pg_trgm GIN index on pockychat_fold(text) (lower case, no
 * accents) of the messages not deleted; each term is a LIKE '%term%' on it,
 * which the index serves for terms of three characters or more. The term
 * is folded by the same function (unaccent's ß is ss, which the domain's
 * fold() leaves alone: the domain's check then decides).
 */
export class PostgresSearchStore extends SqlSearchStore {
  constructor(db: Kysely<Database>) {
    super(db);
  }

  async searchCandidates(terms: readonly string[], rooms: readonly string[], cap: number): Promise<SearchCandidate[]> {
    const likes = terms.map((term) => sql` and pockychat_fold(text) like pockychat_fold(${`%${likeEscape(term)}%`})`);
    const { rows } = await sql<CandidateRow>`select row_id as "order", id, room, text from messages
      where deleted = 0 and room = any(${[...rooms]}::text[])${sql.join(likes, sql``)}
      order by row_id desc limit ${cap}`.execute(this.db);
    return rows;
  }

  /**
   * CREATE INDEX CONCURRENTLY: built without blocking writes, by PostgreSQL
   * in one pass (no batches to report). One left invalid by a crash is
   * dropped and built again. Several nodes starting at once: the others wait
   * on the first one's lock and then find the index there.
   */
  async indexExisting(report: (progress: IndexProgress) => void, stopped: () => boolean): Promise<void> {
    if (stopped()) return;
    const state = await sql<{ valid: boolean }>`select i.indisvalid as valid from pg_index i
      join pg_class c on c.oid = i.indexrelid where c.relname = 'messages_text_trgm'`.execute(this.db);
    const total = Number(
      (await sql<{ n: number }>`select count(*)::int as n from messages`.execute(this.db)).rows[0]?.n ?? 0,
    );
    if (state.rows[0]?.valid) {
      report({ indexed: total, total, done: true });
      return;
    }
    if (state.rows.length > 0) await sql`drop index concurrently if exists messages_text_trgm`.execute(this.db);
    report({ indexed: 0, total, done: false });
    await sql`create index concurrently if not exists messages_text_trgm on messages
      using gin (pockychat_fold(text) gin_trgm_ops) where deleted = 0`.execute(this.db);
    await this.db.updateTable('search_index').set({ next_below: 0 }).where('id', '=', 1).execute();
    report({ indexed: total, total, done: true });
  }
}
