import { DatabaseSync, type StatementSync } from 'node:sqlite';
import { SqliteDialect, type SqliteDatabase, type SqliteStatement } from 'kysely';

/**
 * Kysely's SQLite dialect speaks better-sqlite3's interface; node:sqlite's
 * DatabaseSync is close enough that a thin adapter does (no native addon).
 * Prepared statements are cached by SQL text: Kysely prepares on every query.
 */
class NodeSqliteDatabase implements SqliteDatabase {
  readonly #db: DatabaseSync;
  readonly #statements = new Map<string, SqliteStatement>();

  constructor(db: DatabaseSync) {
    this.#db = db;
  }

  prepare(sql: string): SqliteStatement {
    let statement = this.#statements.get(sql);
    if (!statement) {
      statement = adapt(this.#db.prepare(sql));
      if (this.#statements.size > 500) this.#statements.clear();
      this.#statements.set(sql, statement);
    }
    return statement;
  }

  close(): void {
    this.#statements.clear();
    this.#db.close();
  }
}

type Param = null | number | bigint | string | NodeJS.ArrayBufferView;

function adapt(statement: StatementSync): SqliteStatement {
  const reader = statement.columns().length > 0;
  return {
    reader,
    all: (params) => statement.all(...(params as Param[])),
    run: (params) => statement.run(...(params as Param[])),
    iterate: (params) => statement.iterate(...(params as Param[])),
  };
}

export function openSqlite(file: string): { dialect: SqliteDialect; db: DatabaseSync } {
  const db = new DatabaseSync(file);
  // WAL lets readers run beside the writer; FULL makes every commit survive
  // power loss, not only a crash of the process; busy_timeout covers a second
  // process (a CLI, a backup) holding the lock for a moment.
  db.exec('PRAGMA journal_mode = WAL');
  db.exec('PRAGMA synchronous = FULL');
  db.exec('PRAGMA foreign_keys = ON');
  db.exec('PRAGMA busy_timeout = 5000');
  return { dialect: new SqliteDialect({ database: new NodeSqliteDatabase(db) }), db };
}
