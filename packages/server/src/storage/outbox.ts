import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.ts';
import { PreparedCache, PreparedQuery, type Bindable } from './prepared-query.ts';

/** Rows per INSERT, as for the messages of a batch (append.ts): every shape up to this is compiled once. */
const CHUNK = 64;

/** Ids per DELETE: far below either database's limit on bound parameters. */
const DELETE_CHUNK = 1000;

/**
 * How long a row waits for its own node to publish it before any node's
 * sweeper may take it, and how long a sweeper that took it has before
 * another may. Redis answers a publish in well under a millisecond; this is
 * for an event loop stalled by a slow spell of the machine.
 */
export const OUTBOX_GRACE_MS = 3000;

/** A message committed whose delivery to the other nodes is not known to have left: its id and room. */
export interface OutboxRow {
  id: string;
  room: string;
}

/**
 * The transactional outbox (several nodes): each stored message gets a row
 * in the transaction that stores it, keyed by the message id. The node
 * deletes its rows once their deliveries are on Redis; a row still there
 * after OUTBOX_GRACE_MS was left by a node that died (or stalled) between
 * its commit and its publish, and a sweeper on any node takes it (claimDue).
 * The row holds no copy of the message: the sweeper reads the message as
 * stored then, likes included.
 */
export class SqlOutbox {
  readonly #db: Kysely<Database>;
  /** PostgreSQL: sweepers on several nodes pass over each other's rows instead of waiting on them. */
  readonly #skipLocked: boolean;
  readonly #insert: PreparedCache<number, PreparedQuery<string, unknown>>;

  constructor(db: Kysely<Database>, options: { skipLocked: boolean }) {
    this.#db = db;
    this.#skipLocked = options.skipLocked;
    this.#insert = new PreparedCache(CHUNK, (rows) => insertQuery(db, rows));
  }

  /** Inside the transaction that stores these messages: one multi-row INSERT per 64. */
  async write(trx: Transaction<Database>, rows: readonly OutboxRow[]): Promise<void> {
    const due = Date.now() + OUTBOX_GRACE_MS;
    for (let start = 0; start < rows.length; start += CHUNK) {
      const chunk = rows.slice(start, start + CHUNK);
      const values = chunk.flatMap((row): Bindable[] => [row.id, row.room, due]);
      await this.#insert.get(chunk.length).execute(trx, values);
    }
  }

  /** Forgets rows whose deliveries reached Redis. */
  async delete(ids: readonly string[]): Promise<void> {
    for (let start = 0; start < ids.length; start += DELETE_CHUNK) {
      await this.#db
        .deleteFrom('outbox')
        .where('id', 'in', ids.slice(start, start + DELETE_CHUNK))
        .execute();
    }
  }

  /**
   * Takes up to `limit` rows that are due, atomically: their due time moves
   * OUTBOX_GRACE_MS on, so no other sweeper takes them meanwhile, and if this
   * node dies before it publishes and deletes them, they come due again.
   */
  async claimDue(limit: number, now = Date.now()): Promise<OutboxRow[]> {
    return this.#db
      .updateTable('outbox')
      .set({ due_at: now + OUTBOX_GRACE_MS })
      .where('id', 'in', (eb) => {
        const due = eb.selectFrom('outbox').select('id').where('due_at', '<=', now).orderBy('due_at').limit(limit);
        return this.#skipLocked ? due.forUpdate().skipLocked() : due;
      })
      .returning(['id', 'room'])
      .execute();
  }
}

/** `INSERT INTO outbox (id, room, due_at) VALUES …` for `rows` rows. */
function insertQuery(db: Kysely<Database>, rows: number) {
  const keys = Array.from({ length: rows }, (_, i) => [`id${i}`, `room${i}`, `due${i}`]).flat();
  return new PreparedQuery(keys, (p) =>
    db.insertInto('outbox').values(
      Array.from({ length: rows }, (_, i) => ({
        id: p[`id${i}`] as string,
        room: p[`room${i}`] as string,
        due_at: p[`due${i}`] as number,
      })),
    ),
  );
}
