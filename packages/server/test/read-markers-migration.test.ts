import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Kysely, PostgresDialect, sql } from 'kysely';
import type { MigrationProvider } from 'kysely/migration';
import pg from 'pg';
import type { Store } from '../src/chat/ports/store.ts';
import { migrationsFor, type SqlDialect } from '../src/storage/migrations.ts';
import { PostgresStore } from '../src/storage/postgres/postgres-store.ts';
import { migrate } from '../src/storage/sql/sql-store.ts';
import { openSqlite } from '../src/storage/sqlite/node-sqlite-dialect.ts';
import { SqliteStore } from '../src/storage/sqlite/sqlite-store.ts';
import { createDatabase, startPostgres, type PostgresServer } from './helpers/services.ts';
import { tempDataDir } from './helpers/test-server.ts';

/**
 * A database from before read markers, with mentions in messages.mentions,
 * gets its mention index filled at start: unread mentions count at once,
 * a deleted message's not at all, and new mentions go on being indexed.
 */

function before0004(dialect: SqlDialect): MigrationProvider {
  return {
    getMigrations: async () => {
      const all = await migrationsFor(dialect).getMigrations();
      return Object.fromEntries(Object.entries(all).filter(([name]) => name < '0004'));
    },
  };
}

/** Ann and Bob in `old`: Bob mentioned Ann twice (once in a message deleted since) and himself once. */
async function fillOld(db: Kysely<any>): Promise<void> {
  const now = '2026-01-01T00:00:00.000Z';
  await sql`insert into users (id, name, kind, created_at) values ('ann', 'Ann', 'guest', ${now}), ('bob', 'Bob', 'guest', ${now})`.execute(
    db,
  );
  await sql`insert into rooms (name, visibility, owner_id, last_seq, last_rev, created_at)
            values ('old', 'private', null, 4, 5, ${now})`.execute(db);
  await sql`insert into memberships (room, user_id, role, joined_at)
            values ('old', 'ann', 'member', ${now}), ('old', 'bob', 'member', ${now})`.execute(db);
  await sql`insert into messages (id, room, seq, rev, author_id, text, date, client_id, deleted, mentions) values
            ('m1', 'old', 1, 1, 'bob', 'hi @Ann', ${now}, 'c1', 0, '["ann"]'),
            ('m2', 'old', 2, 2, 'bob', 'me @Bob', ${now}, 'c2', 0, '["bob","bob"]'),
            ('m3', 'old', 3, 5, 'bob', '', ${now}, 'c3', 1, null),
            ('m4', 'old', 4, 4, 'bob', 'and @Ann', ${now}, 'c4', 0, '["ann","bob"]')`.execute(db);
}

async function checkMigrated(store: Store): Promise<void> {
  const strip = (c: { readSeq: number; unread: number; mentions: number } | undefined) =>
    c && { readSeq: c.readSeq, unread: c.unread, mentions: c.mentions };
  assert.deepEqual(strip((await store.unreadCounts('ann')).get('old')), { readSeq: 0, unread: 3, mentions: 2 });
  assert.deepEqual(strip((await store.unreadCounts('bob')).get('old')), { readSeq: 0, unread: 0, mentions: 0 });
  const bob = { id: 'bob', name: 'Bob', kind: 'guest' } as const;
  await store.appendMessage({
    id: 'm5',
    room: 'old',
    author: bob,
    text: 'again @Ann',
    date: '2026-01-02T00:00:00.000Z',
    clientId: 'c5',
    clientDate: undefined,
    mentions: ['ann'],
  });
  await store.markRead('ann', 'old', 1);
  assert.deepEqual(strip((await store.unreadCounts('ann')).get('old')), { readSeq: 1, unread: 3, mentions: 2 });
}

describe('migration to read markers', () => {
  test('SQLite', async () => {
    const file = path.join(tempDataDir(), 'old.db');
    const db = new Kysely<any>({ dialect: openSqlite(file).dialect });
    await migrate(db, before0004('sqlite'));
    await fillOld(db);
    await db.destroy();
    const store = await SqliteStore.open(file);
    try {
      await checkMigrated(store);
    } finally {
      await store.close();
    }
  });

  describe('PostgreSQL', () => {
    let server: PostgresServer;
    before(async () => {
      server = await startPostgres();
    });
    after(() => server.stop('immediate'));

    test('PostgreSQL', async () => {
      const url = await createDatabase(server, 'readmigration');
      const pool = new pg.Pool({ connectionString: url });
      const db = new Kysely<any>({ dialect: new PostgresDialect({ pool }) });
      await migrate(db, before0004('postgres'));
      await fillOld(db);
      await db.destroy();
      const store = await PostgresStore.open(url);
      try {
        await checkMigrated(store);
      } finally {
        await store.close();
      }
    });
  });
});
