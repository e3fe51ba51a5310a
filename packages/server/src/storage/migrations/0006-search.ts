import { sql, type Kysely } from 'kysely';
import type { SqlDialect } from '../migrations.ts';

/**
 * Full-text search (storage/sql/search-*.ts). Both databases get
 * search_index, one row: the messages with row_id below next_below are
 * still to be indexed by the start-up indexer (storage/sql/search-indexer.ts);
 * every message from now on is indexed in its own transaction.
 *
 * SQLite: an FTS5 table with the trigram tokenizer (substrings in any
 * script, CJK without spaces; case and Latin accents folded), contentless
 * (the text is not stored twice) with contentless_delete (rows can go), kept
 * in step by triggers on messages, so every insert (the group commit's
 * batches included), edit and delete changes it in the same transaction.
 *
 * PostgreSQL: pg_trgm and unaccent; message_search holds each message's
 * folded text (pockychat_fold: lower case, no accents) under a trigram GIN
 * index, kept in step by triggers on messages in the same transaction.
 */
export async function addSearch(db: Kysely<unknown>, dialect: SqlDialect): Promise<void> {
  await db.schema
    .createTable('search_index')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('next_below', dialect === 'postgres' ? 'bigint' : 'integer', (c) => c.notNull())
    .execute();
  await sql`insert into search_index (id, next_below) select 1, coalesce(max(row_id), 0) + 1 from messages`.execute(db);
  if (dialect === 'sqlite') await addSqliteFts(db);
  else await addPostgresTrigram(db);
}

async function addSqliteFts(db: Kysely<unknown>): Promise<void> {
  await sql`create virtual table messages_fts using fts5(
    text, tokenize = 'trigram remove_diacritics 1', content = '', contentless_delete = 1)`.execute(db);
  await sql`create trigger messages_fts_insert after insert on messages when new.deleted = 0 begin
    insert into messages_fts (rowid, text) values (new.row_id, new.text);
  end`.execute(db);
  await sql`create trigger messages_fts_update after update of text, deleted on messages
    when old.text is not new.text or old.deleted is not new.deleted begin
    delete from messages_fts where rowid = old.row_id;
    insert into messages_fts (rowid, text) select new.row_id, new.text where new.deleted = 0;
  end`.execute(db);
  await sql`create trigger messages_fts_delete after delete on messages begin
    delete from messages_fts where rowid = old.row_id;
  end`.execute(db);
}

async function addPostgresTrigram(db: Kysely<unknown>): Promise<void> {
  const available = await sql<{ name: string }>`select name from pg_available_extensions
    where name in ('pg_trgm', 'unaccent')`.execute(db);
  const names = new Set(available.rows.map((row) => row.name));
  if (!names.has('pg_trgm')) throw new Error('search needs PostgreSQL’s pg_trgm extension (contrib)');
  await sql`create extension if not exists pg_trgm`.execute(db);
  // Without unaccent (a managed server may lack it) search still folds case, not accents.
  const unaccent = names.has('unaccent');
  if (unaccent) await sql`create extension if not exists unaccent`.execute(db);
  // IMMUTABLE, as an indexed value must be: unaccent() itself is only STABLE (its dictionary could change).
  const body = unaccent ? sql.raw(`lower(public.unaccent('public.unaccent'::regdictionary, t))`) : sql.raw('lower(t)');
  await sql`create or replace function pockychat_fold(t text) returns text
    language sql immutable parallel safe strict as $$ select ${body} $$`.execute(db);
  // The folded text of every message not deleted, and its room, by row_id: folded once when
  // written (unaccent in the index's recheck cost 30 µs a row), the room beside it so that the
  // query is of one table, and a table of its own so that history and the archive read messages
  // as before. Empty now: its index is built at once.
  await sql`create table message_search (row_id bigint primary key, room text not null, text text not null)`.execute(
    db,
  );
  await sql`create index message_search_trgm on message_search using gin (text gin_trgm_ops)`.execute(db);
  // A batch's rows in one statement (the group commit inserts up to 64 at a time).
  await sql`create function message_search_inserted() returns trigger language plpgsql as $$ begin
    insert into message_search (row_id, room, text)
      select row_id, room, pockychat_fold(text) from new_rows where deleted = 0
      on conflict (row_id) do update set room = excluded.room, text = excluded.text;
    return null;
  end $$`.execute(db);
  await sql`create trigger message_search_insert after insert on messages
    referencing new table as new_rows for each statement execute function message_search_inserted()`.execute(db);
  await sql`create function message_search_changed() returns trigger language plpgsql as $$ begin
    if tg_op = 'UPDATE' and new.deleted = 0 then
      insert into message_search (row_id, room, text) values (new.row_id, new.room, pockychat_fold(new.text))
        on conflict (row_id) do update set room = excluded.room, text = excluded.text;
    else
      delete from message_search where row_id = old.row_id;
    end if;
    return null;
  end $$`.execute(db);
  // room: a DM room renamed when a guest merges into an account (merge-users.ts).
  await sql`create trigger message_search_update after update of text, deleted, room on messages for each row
    when (old.text is distinct from new.text or old.deleted is distinct from new.deleted or old.room is distinct from new.room)
    execute function message_search_changed()`.execute(db);
  await sql`create trigger message_search_delete after delete on messages for each row
    execute function message_search_changed()`.execute(db);
}
