import { sql, type Kysely } from 'kysely';
import type { SqlDialect } from '../migrations.ts';

/**
 * SQLite: new messages leave the send's commit unindexed (FTS5's trigram
 * index cost 40 µs a message there, a third of a send) and wait as a
 * pending tail: every message with row_id from search_pending.from_row on.
 * Searches scan that tail (storage/sql/search-sqlite.ts), so a message is
 * found the moment it is stored; the live indexer (search-live-indexing.ts)
 * indexes it when the server is not busy with sends, moving from_row in the
 * same transaction. The same design as PostgreSQL's GIN fast-update list.
 *
 * Edits and deletes of indexed messages still change the index in their own
 * transaction (the update trigger, now only below from_row: the tail is
 * indexed with the text it has when its turn comes).
 *
 * PostgreSQL is unchanged: GIN's own pending list already keeps its inserts
 * cheap.
 */
export async function addSearchPending(db: Kysely<unknown>, dialect: SqlDialect): Promise<void> {
  if (dialect !== 'sqlite') return;
  await db.schema
    .createTable('search_pending')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('from_row', 'integer', (c) => c.notNull())
    .execute();
  // Every message stored so far is indexed by the insert trigger (or waits for the start-up indexer).
  await sql`insert into search_pending (id, from_row) select 1, coalesce(max(row_id), 0) + 1 from messages`.execute(db);
  await sql`drop trigger messages_fts_insert`.execute(db);
  await sql`drop trigger messages_fts_update`.execute(db);
  await sql`create trigger messages_fts_update after update of text, deleted on messages
    when (old.text is not new.text or old.deleted is not new.deleted)
      and old.row_id < (select from_row from search_pending where id = 1) begin
    delete from messages_fts where rowid = old.row_id;
    insert into messages_fts (rowid, text) select new.row_id, new.text where new.deleted = 0;
  end`.execute(db);
}
