import type { Kysely } from 'kysely';
import type { SqlDialect } from '../migrations.ts';

/** The transactional outbox (storage/outbox.ts): written only with several nodes (REDIS_URL), and kept near empty. */
export async function createOutbox(db: Kysely<unknown>, dialect: SqlDialect): Promise<void> {
  await db.schema
    .createTable('outbox')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('messages', 'text', (c) => c.notNull())
    .addColumn('due_at', dialect === 'postgres' ? 'bigint' : 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('outbox_due').on('outbox').column('due_at').execute();
}
