import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Kysely, PostgresDialect } from 'kysely';
import type { MigrationProvider } from 'kysely/migration';
import pg from 'pg';
import type { Store } from '../../src/chat/ports/store.ts';
import { migrationsFor, type SqlDialect } from '../../src/storage/migrations.ts';
import { PostgresStore } from '../../src/storage/postgres/postgres-store.ts';
import { migrate } from '../../src/storage/sql/sql-store.ts';
import { openSqlite } from '../../src/storage/sqlite/node-sqlite-dialect.ts';
import { SqliteStore } from '../../src/storage/sqlite/sqlite-store.ts';
import { createDatabase, startPostgres, type PostgresServer } from './services.ts';
import { tempDataDir } from './test-server.ts';

/** The migrations named before `first` (e.g. '0004'): the schema an older pockychat left. */
export function migrationsBefore(dialect: SqlDialect, first: string): MigrationProvider {
  return {
    getMigrations: async () => {
      const all = await migrationsFor(dialect).getMigrations();
      return Object.fromEntries(Object.entries(all).filter(([name]) => name < first));
    },
  };
}

/**
 * On SQLite and on PostgreSQL: a database migrated up to (not including)
 * `first`, filled by `fill` as the older server left it, then opened as
 * today's store (which applies the rest) and handed to `check`.
 */
export function describeMigrationTo(
  title: string,
  first: string,
  steps: { fill: (db: Kysely<any>) => Promise<void>; check: (store: Store) => Promise<void> },
): void {
  const upgrade = async (db: Kysely<any>, dialect: SqlDialect, open: () => Promise<Store>) => {
    await migrate(db, migrationsBefore(dialect, first));
    await steps.fill(db);
    await db.destroy();
    const store = await open();
    try {
      await steps.check(store);
    } finally {
      await store.close();
    }
  };

  describe(title, () => {
    test('SQLite', async () => {
      const file = path.join(tempDataDir(), 'old.db');
      await upgrade(new Kysely<any>({ dialect: openSqlite(file).dialect }), 'sqlite', () => SqliteStore.open(file));
    });

    describe('PostgreSQL', () => {
      let server: PostgresServer;
      before(async () => {
        server = await startPostgres();
      });
      after(() => server.stop('immediate'));

      test('PostgreSQL', async () => {
        const url = await createDatabase(server, `migration${first}`);
        const db = new Kysely<any>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url }) }) });
        await upgrade(db, 'postgres', () => PostgresStore.open(url));
      });
    });
  });
}
