import type { Kysely, Transaction } from 'kysely';
import type { OutboxDelivery } from '../fanout/fanout.ts';
import type { Database } from './schema.ts';
import { PreparedQuery } from './prepared-query.ts';

/** Ids per DELETE: far below either database's limit on bound parameters. */
const DELETE_CHUNK = 1000;

/**
 * How long a row waits for its own node to publish it before any node's
 * sweeper may take it, and how long a sweeper that took it has before
 * another may. Redis answers a publish in well under a millisecond; this is
 * for an event loop stalled by a slow spell of the machine.
 */
export const OUTBOX_GRACE_MS = 3000;

/**
 * A message committed whose delivery to the other nodes is not known to have
 * left: its id and room, and for a change of it (an `updated` frame) the rev
 * that change took.
 */
export interface OutboxEntry {
  id: string;
  room: string;
  rev?: number;
}

/** The row key of an entry: the message id for its creation, `id@rev` for a change (a message changes many times). */
export function outboxKeyOf(entry: OutboxEntry): string {
  return entry.rev === undefined ? entry.id : `${entry.id}@${entry.rev}`;
}

/**
 * The transactional outbox (several nodes): each transaction that stores
 * messages also stores one row naming them (their ids and rooms), keyed by
 * the first message's id. The messages of one commit are published together
 * (their sends resume in the same turn), so deleting the rows keyed by the
 * ids just published deletes whole commits' rows. A row still there after
 * OUTBOX_GRACE_MS was left by a node that died (or stalled) between its
 * commit and its publish, and a sweeper on any node takes it (claimDue). The
 * row holds no copy of a message: the sweeper reads it as stored then,
 * likes included.
 *
 * A delivery that takes a permission away (a ban, a removal, an ended
 * token) is not in any table to read again: its row carries it whole
 * (`delivery`), keyed by its own id, and is written in the transaction of
 * the change it reports (writeDeliveries).
 */
export class SqlOutbox {
  readonly #db: Kysely<Database>;
  /** PostgreSQL: sweepers on several nodes pass over each other's rows instead of waiting on them. */
  readonly #skipLocked: boolean;
  readonly #insert: PreparedQuery<'id' | 'messages' | 'due', unknown>;

  constructor(db: Kysely<Database>, options: { skipLocked: boolean }) {
    this.#db = db;
    this.#skipLocked = options.skipLocked;
    this.#insert = new PreparedQuery(['id', 'messages', 'due'], (p) =>
      db.insertInto('outbox').values({
        id: p.id as string,
        messages: p.messages as string,
        due_at: p.due as number,
      }),
    );
  }

  /** Inside the transaction that stores these messages (at least one): one INSERT of one row. */
  async write(trx: Transaction<Database>, entries: readonly OutboxEntry[]): Promise<void> {
    const first = entries[0];
    if (!first) return;
    const messages = JSON.stringify(
      entries.map((entry) => (entry.rev === undefined ? [entry.id, entry.room] : [entry.id, entry.room, entry.rev])),
    );
    await this.#insert.execute(trx, [outboxKeyOf(first), messages, Date.now() + OUTBOX_GRACE_MS]);
  }

  /** Inside the transaction of the change they report: one row per delivery, keyed by its id. */
  async writeDeliveries(trx: Transaction<Database>, deliveries: readonly OutboxDelivery[]): Promise<void> {
    if (deliveries.length === 0) return;
    const due = Date.now() + OUTBOX_GRACE_MS;
    await trx
      .insertInto('outbox')
      .values(deliveries.map((d) => ({ id: d.id, messages: '[]', due_at: due, delivery: JSON.stringify(d) })))
      .execute();
  }

  /** Forgets the rows keyed by these message ids (most ids key none: only a commit's first does). */
  async delete(ids: readonly string[]): Promise<void> {
    for (let start = 0; start < ids.length; start += DELETE_CHUNK) {
      await this.#db
        .deleteFrom('outbox')
        .where('id', 'in', ids.slice(start, start + DELETE_CHUNK))
        .execute();
    }
  }

  /**
   * Takes up to `limit` rows that are due, atomically, and returns the
   * messages they name and the deliveries they carry. Their due time moves
   * OUTBOX_GRACE_MS on: no other sweeper takes them meanwhile, and if this
   * node dies before it publishes and deletes them, they come due again.
   */
  async claimDue(limit: number, now = Date.now()): Promise<ClaimedRows> {
    const rows = await this.#db
      .updateTable('outbox')
      .set({ due_at: now + OUTBOX_GRACE_MS })
      .where('id', 'in', (eb) => {
        const due = eb.selectFrom('outbox').select('id').where('due_at', '<=', now).orderBy('due_at').limit(limit);
        return this.#skipLocked ? due.forUpdate().skipLocked() : due;
      })
      .returning(['messages', 'delivery'])
      .execute();
    return {
      messages: rows.flatMap((row) =>
        (JSON.parse(row.messages) as Array<[string, string, number?]>).map(([id, room, rev]) =>
          rev === undefined ? { id, room } : { id, room, rev },
        ),
      ),
      deliveries: rows.flatMap((row) => (row.delivery === null ? [] : [JSON.parse(row.delivery) as OutboxDelivery])),
    };
  }
}

/** What a sweep took: the messages its rows name, the deliveries they carry. */
export interface ClaimedRows {
  messages: OutboxEntry[];
  deliveries: OutboxDelivery[];
}

/**
 * A change of one statement and the deliveries it reports: with an outbox
 * (several nodes), both in one transaction; without one, the statement
 * alone, as it ran before there was an outbox.
 */
export async function withDeliveries<T>(
  db: Kysely<Database>,
  outbox: SqlOutbox | undefined,
  change: (db: Kysely<Database>) => Promise<{ result: T; deliveries: readonly OutboxDelivery[] }>,
): Promise<T> {
  if (!outbox) return (await change(db)).result;
  return db.transaction().execute(async (trx) => {
    const { result, deliveries } = await change(trx);
    await outbox.writeDeliveries(trx, deliveries);
    return result;
  });
}
