import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Kysely, sql, type LogConfig } from 'kysely';
import type { Database } from '../schema.ts';
import { migrate, SqlStore } from '../sql/sql-store.ts';
import { migrationsFor } from '../migrations.ts';
import { SqlOutbox } from '../outbox.ts';
import { openSqlite } from './node-sqlite-dialect.ts';
import { SqliteSearchStore } from '../sql/search-sqlite.ts';

/** The embedded default: one SQLite file (WAL), through node:sqlite. */
export class SqliteStore extends SqlStore {
  /**
   * Opens (creating if needed) the database file and brings its schema up to
   * date. `log` is Kysely's: the tests read the statements the store runs.
   * `outbox`: with Redis fan-out, messages also get outbox rows.
   */
  static async open(file: string, options: { log?: LogConfig; outbox?: boolean } = {}): Promise<SqliteStore> {
    mkdirSync(path.dirname(file), { recursive: true });
    const db = new Kysely<Database>({ dialect: openSqlite(file).dialect, ...(options.log && { log: options.log }) });
    await migrate(db, migrationsFor('sqlite'));
    return new SqliteStore(db, {
      search: new SqliteSearchStore(db),
      deferForeignKeys: async (trx) => {
        await sql`pragma defer_foreign_keys = on`.execute(trx);
      },
      beforeClose: async (kysely) => {
        await sql`pragma wal_checkpoint(truncate)`.execute(kysely);
      },
      ...(options.outbox && { outbox: new SqlOutbox(db, { skipLocked: false }) }),
    });
  }
}
