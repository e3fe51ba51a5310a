import type { Migration, MigrationProvider } from 'kysely/migration';
import { createSchema } from './migrations/0001-initial.ts';
import { createOutbox } from './migrations/0002-outbox.ts';
import { addConversation } from './migrations/0003-conversation.ts';
import { addPasswordReset } from './migrations/0009-password-reset.ts';

export type SqlDialect = 'sqlite' | 'postgres';

/**
 * The schema, one set of versioned migrations for both databases, applied
 * in name order at start, each in a file of its own under migrations/.
 * Never edit one that shipped: add the next.
 */
export function migrationsFor(dialect: SqlDialect): MigrationProvider {
  const migrations: Record<string, Migration> = {
    '0001-initial': { up: (db) => createSchema(db, dialect) },
    '0002-outbox': { up: (db) => createOutbox(db, dialect) },
    '0003-conversation': { up: (db) => addConversation(db) },
    '0009-password-reset': { up: (db) => addPasswordReset(db) },
  };
  return { getMigrations: async () => migrations };
}
