import { closeSync, fsyncSync, openSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { SearchCorpus } from './corpus.ts';
import { accessOf, lastSeqOf, ROOMS, roomName, roomOf, seqOf } from './layout.ts';

/** Rows per transaction of the bulk load. */
const BATCH = 50_000;

/**
 * Fills a pockychat SQLite file (schema made by the server's migrations) with
 * the search corpus, straight through SQL in large transactions, each
 * batch put in the FTS5 index as the live indexer does (one statement per
 * batch) and the pending tail (migration 0010) left empty: the index a
 * server has once it has caught up.
 */
export function buildSqliteCorpus(file: string, userId: string, messages: number): void {
  const db = new DatabaseSync(file);
  db.exec('PRAGMA journal_mode = OFF');
  db.exec('PRAGMA synchronous = OFF');
  db.exec('PRAGMA cache_size = -262144');
  const now = '2024-01-01T00:00:00.000Z';
  db.exec('BEGIN');
  const room = db.prepare(
    'insert into rooms (name, visibility, owner_id, last_seq, last_rev, created_at) values (?, ?, null, ?, ?, ?)',
  );
  const member = db.prepare("insert into memberships (room, user_id, role, joined_at) values (?, ?, 'member', ?)");
  for (let r = 0; r < ROOMS; r++) {
    const last = lastSeqOf(r, messages);
    room.run(roomName(r), accessOf(r) === 'public' ? 'public' : 'private', last, last, now);
    if (accessOf(r) === 'member') member.run(roomName(r), userId, now);
  }
  db.exec('COMMIT');
  // One statement per batch, its rows from a JSON array.
  const insert = db.prepare(
    `insert into messages (id, room, seq, rev, author_id, text, date, client_id)
     select r ->> 0, r ->> 1, r ->> 2, r ->> 2, ?, r ->> 3, r ->> 4, r ->> 0 from (select value as r from json_each(?))`,
  );
  const index = db.prepare('insert into messages_fts (rowid, text) select row_id, text from messages where row_id > ?');
  const top = db.prepare('select coalesce(max(row_id), 0) as top from messages');
  let indexedUpTo = (top.get() as { top: number }).top;
  const corpus = new SearchCorpus();
  const start = Date.parse(now);
  for (let first = 1; first <= messages; first += BATCH) {
    const rows: unknown[] = [];
    for (let n = first; n < first + BATCH && n <= messages; n++) {
      const id = `s${n.toString(16).padStart(8, '0')}`;
      rows.push([id, roomName(roomOf(n)), seqOf(n), corpus.text(n), new Date(start + n * 1000).toISOString()]);
    }
    insert.run(userId, JSON.stringify(rows));
    index.run(indexedUpTo);
    indexedUpTo = (top.get() as { top: number }).top;
  }
  db.exec('update search_pending set from_row = (select max(row_id) + 1 from messages) where id = 1');
  db.exec('PRAGMA journal_mode = WAL');
  db.close();
  // Written with synchronous=OFF: flushed now, not while the queries are measured.
  const fd = openSync(file, 'r');
  fsyncSync(fd);
  closeSync(fd);
}
