import type { Kysely } from 'kysely';

/**
 * Outbox rows that carry a delivery rather than name messages: a ban, a
 * removal or an ended token, recorded in the transaction of that change
 * (storage/outbox.ts). A node of the version before reads such a row as one
 * of no messages and leaves it to the others.
 */
export async function addOutboxDeliveries(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('outbox').addColumn('delivery', 'text').execute();
}
