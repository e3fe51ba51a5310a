import { DatabaseSync, type StatementSync } from 'node:sqlite';
import type { SqliteDatabase, SqliteDialect, SqliteStatement } from 'kysely';
import { DurableSqliteDialect } from './durable-driver.ts';
import { FileSync } from './file-sync.ts';

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

/**
 * node:sqlite makes each row a null-prototype object in dictionary mode,
 * slow to build and to read; rows come as arrays instead, and become plain
 * objects here, all of one statement sharing a shape. ("__proto__" as a
 * column name would set the prototype: such a statement keeps node's objects.)
 */
function adapt(statement: StatementSync): SqliteStatement {
  const names = statement.columns().map((column) => column.name);
  const reader = names.length > 0;
  if (!reader || names.includes('__proto__')) {
    return {
      reader,
      all: (params) => statement.all(...(params as Param[])),
      run: (params) => statement.run(...(params as Param[])),
      iterate: (params) => statement.iterate(...(params as Param[])),
    };
  }
  statement.setReturnArrays(true);
  const toRow = (values: unknown): Record<string, unknown> => {
    const row: Record<string, unknown> = {};
    for (let i = 0; i < names.length; i++) row[names[i] as string] = (values as unknown[])[i];
    return row;
  };
  return {
    reader,
    all: (params) => statement.all(...(params as Param[])).map(toRow),
    run: (params) => statement.run(...(params as Param[])),
    iterate: function* (params) {
      for (const values of statement.iterate(...(params as Param[]))) yield toRow(values);
    },
  };
}

/** `wal` flushes the WAL to disk after writes; tests pass one that reports what it sees. */
export function openSqlite(
  file: string,
  wal: FileSync = FileSync.ofFile(`${file}-wal`),
): { dialect: SqliteDialect; db: DatabaseSync } {
  const db = new DatabaseSync(file);
  // WAL lets readers run beside the writer. NORMAL: a commit does not wait
  // for the disk, the driver flushes the WAL off the event loop before any
  // write is reported done (durable-driver.ts), so every commit still
  // survives power loss. busy_timeout covers a second process (a CLI, a
  // backup) holding the lock for a moment.
  db.exec('PRAGMA journal_mode = WAL');
  db.exec('PRAGMA synchronous = NORMAL');
  // A batch's multi-row UPDATE and INSERT each keep a statement journal (to
  // undo a half-done statement); in memory, not in a temp file created and
  // unlinked per statement: a third less system time per stored message.
  db.exec('PRAGMA temp_store = MEMORY');
  db.exec('PRAGMA foreign_keys = ON');
  db.exec('PRAGMA busy_timeout = 5000');
  return { dialect: new DurableSqliteDialect({ database: new NodeSqliteDatabase(db) }, wal), db };
}
