import { Kysely, PostgresDialect, sql, type LogConfig } from 'kysely';
import pg from 'pg';
import type { Database } from '../schema.ts';
import { migrate, SqlStore } from '../sql/sql-store.ts';
import { migrationsFor } from '../migrations.ts';
import { SqlOutbox } from '../outbox.ts';
import { PostgresSearchStore } from '../sql/search-postgres.ts';

// bigint columns (file sizes, counts) come back as strings by default; they fit in a double here.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

/** PostgreSQL, for several nodes sharing one database (DATABASE_URL=postgres://…). */
export class PostgresStore extends SqlStore {
  /**
   * `log` is Kysely's: the tests read the statements the store runs.
   * `outbox`: several nodes (REDIS_URL): every message also gets an outbox row (storage/outbox.ts).
   */
  static async open(
    url: string,
    options: { poolSize?: number; log?: LogConfig; outbox?: boolean } = {},
  ): Promise<PostgresStore> {
    const pool = new pg.Pool({ connectionString: url, max: options.poolSize ?? 10, connectionTimeoutMillis: 5000 });
    // A lost connection is reported to the pool's user; without a listener it would crash the process.
    pool.on('error', () => undefined);
    // The pool listens only to its idle clients: a connection reset (a database
    // restart) while a client is checked out between two queries is emitted on
    // the client alone, and crashed the node. The query under way fails anyway,
    // and the pool drops the broken client when it is released.
    pool.on('connect', (client) => client.on('error', () => undefined));
    const db = new Kysely<Database>({
      dialect: new PostgresDialect({ pool }),
      ...(options.log && { log: options.log }),
    });
    await migrate(db, migrationsFor('postgres'));
    return new PostgresStore(db, {
      search: new PostgresSearchStore(db),
      deferForeignKeys: async (trx) => {
        await sql`set constraints all deferred`.execute(trx);
      },
      lockRooms: async (trx, names) => {
        await trx.selectFrom('rooms').select('name').where('name', 'in', names).orderBy('name').forUpdate().execute();
      },
      ...(options.outbox && { outbox: new SqlOutbox(db, { skipLocked: true }) }),
    });
  }
}
