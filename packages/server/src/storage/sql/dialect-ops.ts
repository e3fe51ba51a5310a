import type { Kysely, Transaction } from 'kysely';
import type { LockRooms } from '../append.ts';
import type { SqlOutbox } from '../outbox.ts';
import type { Database } from '../schema.ts';
import type { SearchStore } from '../../chat/ports/search-store.ts';

/** What differs between the SQL databases beneath one Store implementation. */
export interface SqlDialectOps {
  /** Makes foreign keys checked at commit for the rest of the transaction (a DM room rename moves keys). */
  deferForeignKeys(trx: Transaction<Database>): Promise<void>;
  /** Locks rooms' rows in the order given (PostgreSQL: several nodes write at once). */
  lockRooms?: LockRooms;
  /** Work at close, before the connections go (SQLite checkpoints its WAL). */
  beforeClose?(db: Kysely<Database>): Promise<void>;
  /**
   * Several nodes: each message, and each delivery taking a permission away,
   * also gets an outbox row, in its transaction (storage/outbox.ts).
   */
  outbox?: SqlOutbox;
  /** Full-text search: FTS5 on SQLite, pg_trgm on PostgreSQL (search-sqlite.ts, search-postgres.ts). */
  search: SearchStore;
}
