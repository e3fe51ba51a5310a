import {
  SqliteDialect,
  type CompiledQuery,
  type DatabaseConnection,
  type Driver,
  type QueryResult,
  type SqliteDialectConfig,
  type TransactionSettings,
} from 'kysely';
import type { FileSync } from './file-sync.ts';

/** Statements after which there is nothing new for a flush to make durable. */
const WRITES_NOTHING = /^\s*(select|begin|commit|rollback|savepoint|release|pragma)\b/i;

/**
 * SQLite runs with synchronous = NORMAL: a commit writes its WAL frames
 * without waiting for the disk. The flush to disk happens here instead, off
 * the event loop: a query or transaction that wrote anything hands back its
 * connection, then waits for an fdatasync of the WAL that began after its
 * commit. So every caller still learns of a write only once it would survive
 * power loss (what synchronous = FULL gives), while the event loop goes on
 * reading frames and delivering messages during the flush, instead of
 * blocking on it inside COMMIT.
 */
export class DurableSqliteDialect extends SqliteDialect {
  readonly #wal: FileSync;

  constructor(config: SqliteDialectConfig, wal: FileSync) {
    super(config);
    this.#wal = wal;
  }

  override createDriver(): Driver {
    return new DurableDriver(super.createDriver(), this.#wal);
  }
}

class DurableDriver implements Driver {
  readonly #inner: Driver;
  readonly #wal: FileSync;
  /** Set by a write on the (one, mutex-guarded) connection, taken when it is handed back. */
  #wrote = false;
  #wrapped: { inner: DatabaseConnection; outer: DatabaseConnection } | undefined;

  constructor(inner: Driver, wal: FileSync) {
    this.#inner = inner;
    this.#wal = wal;
  }

  init(): Promise<void> {
    return this.#inner.init();
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    const inner = await this.#inner.acquireConnection();
    // SQLite's driver hands out its one connection every time: wrap it once, not per query.
    if (this.#wrapped?.inner !== inner) this.#wrapped = { inner, outer: this.#watch(inner) };
    return this.#wrapped.outer;
  }

  /** The connection, noting any statement that writes. */
  #watch(connection: DatabaseConnection): DatabaseConnection {
    return {
      executeQuery: <R>(query: CompiledQuery): Promise<QueryResult<R>> => {
        if (!WRITES_NOTHING.test(query.sql)) this.#wrote = true;
        return connection.executeQuery<R>(query);
      },
      streamQuery: (query, chunkSize) => connection.streamQuery(query, chunkSize),
    };
  }

  beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    return this.#inner.beginTransaction(connection, settings);
  }

  commitTransaction(connection: DatabaseConnection): Promise<void> {
    return this.#inner.commitTransaction(connection);
  }

  rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    return this.#inner.rollbackTransaction(connection);
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    const wrote = this.#wrote;
    this.#wrote = false;
    await this.#inner.releaseConnection(connection);
    if (wrote) await this.#wal.sync();
  }

  async destroy(): Promise<void> {
    await this.#inner.destroy();
    await this.#wal.close();
  }
}
