import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { IndexProgress } from '../src/chat/ports/search-store.ts';
import type { Store } from '../src/chat/ports/store.ts';
import type { SqlDialect } from '../src/storage/migrations.ts';
import { PostgresStore } from '../src/storage/postgres/postgres-store.ts';
import { migrate } from '../src/storage/sql/sql-store.ts';
import { SQLITE_INDEX_BATCH } from '../src/storage/sql/search-sqlite.ts';
import { POSTGRES_INDEX_BATCH } from '../src/storage/sql/search-postgres.ts';
import { openSqlite } from '../src/storage/sqlite/node-sqlite-dialect.ts';
import { SqliteStore } from '../src/storage/sqlite/sqlite-store.ts';
import { api, guest } from './helpers/clients.ts';
import { migrationsBefore } from './helpers/old-database.ts';
import { createDatabase, startPostgres, type PostgresServer } from './helpers/services.ts';
import { startTestServer, tempDataDir } from './helpers/test-server.ts';
import { waitFor } from './helpers/wait-for.ts';

/**
 * Messages stored before search existed (migration 0006) are found once
 * the start-up indexing has run: in batches, resumable, and with the edits
 * and deletes made meanwhile taken into account.
 */

/** More than two batches. */
const OLD_MESSAGES = SQLITE_INDEX_BATCH * 2 + 1234;
assert.equal(POSTGRES_INDEX_BATCH, SQLITE_INDEX_BATCH, 'the checks below count batches of one size');

/** OLD_MESSAGES in public room `old`, 'old message number n'; message 7 says 'ancient zebra'. */
async function fillOld(db: Kysely<any>, dialect: SqlDialect): Promise<void> {
  const now = '2026-01-01T00:00:00.000Z';
  await sql`insert into users (id, name, kind, created_at) values ('ann', 'Ann', 'guest', ${now})`.execute(db);
  await sql`insert into rooms (name, visibility, owner_id, last_seq, last_rev, created_at)
            values ('old', 'public', null, ${OLD_MESSAGES}, ${OLD_MESSAGES}, ${now})`.execute(db);
  const text = sql`case when n = 7 then 'ancient zebra' else 'old message number ' || n end`;
  const rows =
    dialect === 'sqlite'
      ? sql`with recursive s(n) as (select 1 union all select n + 1 from s where n < ${OLD_MESSAGES})
            select 'm' || n, 'old', n, n, 'ann', ${text}, ${now}, 'c' || n from s`
      : sql`select 'm' || n, 'old', n, n, 'ann', ${text}, ${now}, 'c' || n from generate_series(1, ${OLD_MESSAGES}) n`;
  await sql`insert into messages (id, room, seq, rev, author_id, text, date, client_id) ${rows}`.execute(db);
}

/** The start-up indexing, as the server runs it, on a store opened on the old database. */
async function checkIndexing(store: Store): Promise<void> {
  const found = async (term: string) => (await store.searchCandidates([term], ['old'], 10)).map((c) => c.id);
  // Changed after the migration, before the indexing reached them.
  await store.changeMessage('old', 'm8', { kind: 'edit', text: 'renamed walrus', editedAt: new Date().toISOString() });
  await store.changeMessage('old', 'm9', { kind: 'delete' });
  assert.deepEqual(await found('walrus'), ['m8'], 'an edit is indexed in its own transaction');
  {
    assert.deepEqual(await found('ancient'), [], 'not indexed yet');
    // A first run stopped after one batch, as a crash would: the next resumes.
    const first: IndexProgress[] = [];
    await store.indexExisting(
      (p) => first.push(p),
      () => first.length > 0,
    );
    assert.deepEqual(first, [{ indexed: SQLITE_INDEX_BATCH, total: OLD_MESSAGES, done: false }]);
    assert.deepEqual(await found('ancient'), [], 'the oldest batch is not done yet');
    assert.deepEqual((await found('number')).length, 10);
  }
  const rest: IndexProgress[] = [];
  await store.indexExisting(
    (p) => rest.push(p),
    () => false,
  );
  assert.equal(rest.at(-1)?.done, true);
  {
    assert.deepEqual(
      rest.map((p) => p.indexed),
      [SQLITE_INDEX_BATCH, OLD_MESSAGES - SQLITE_INDEX_BATCH],
      'in batches, resumed below the first run’s',
    );
  }
  assert.deepEqual(await found('ancient zebra'), ['m7']);
  assert.deepEqual(await found('walrus'), ['m8']);
  assert.ok(!(await found('message number 9')).includes('m9'), 'the deleted one');
  assert.ok(!(await found('message number 8')).includes('m8'), 'the edited one by its old text');
  assert.deepEqual(await found('number 1234'), ['m1234']);
  // Already done: a second start does nothing.
  const again: IndexProgress[] = [];
  await store.indexExisting(
    (p) => again.push(p),
    () => false,
  );
  assert.equal(again.at(-1)?.done, true);
}

describe('search: messages stored before the migration', () => {
  test('SQLite: indexed in batches, resumable, edits and deletes of the meantime kept', async () => {
    const file = path.join(tempDataDir(), 'old.db');
    const db = new Kysely<any>({ dialect: openSqlite(file).dialect });
    await migrate(db, migrationsBefore('sqlite', '0006'));
    await fillOld(db, 'sqlite');
    await db.destroy();
    const store = await SqliteStore.open(file);
    try {
      await checkIndexing(store);
    } finally {
      await store.close();
    }
  });

  test('SQLite: the server indexes them on start and answers meanwhile', async () => {
    const dataDir = tempDataDir();
    const db = new Kysely<any>({ dialect: openSqlite(path.join(dataDir, 'pockychat.sqlite')).dialect });
    await migrate(db, migrationsBefore('sqlite', '0006'));
    await fillOld(db, 'sqlite');
    await db.destroy();
    const server = await startTestServer({ dataDir });
    try {
      const ann = await guest(server.url);
      await waitFor(
        async () => {
          const { status, body } = await api(server.url, ann.token, '/search?q=ancient');
          assert.equal(status, 200);
          return (body as { messages: Array<{ id: string }> }).messages[0]?.id === 'm7';
        },
        { what: 'the oldest message to be indexed', timeoutMs: 60_000 },
      );
    } finally {
      await server.close();
    }
  });

  describe('PostgreSQL', () => {
    let server: PostgresServer;
    before(async () => {
      server = await startPostgres();
    });
    after(() => server.stop('immediate'));

    test('PostgreSQL: indexed in batches, resumable, edits and deletes of the meantime kept', async () => {
      const url = await createDatabase(server, 'search_migration');
      const db = new Kysely<any>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url }) }) });
      await migrate(db, migrationsBefore('postgres', '0006'));
      await fillOld(db, 'postgres');
      await db.destroy();
      const store = await PostgresStore.open(url);
      try {
        await checkIndexing(store);
        const { rows } = await sql<{ n: number }>`select count(*)::int as n from message_search`.execute(store.db);
        assert.deepEqual(rows, [{ n: OLD_MESSAGES - 1 }], 'every message but the deleted one');
      } finally {
        await store.close();
      }
    });
  });
});
