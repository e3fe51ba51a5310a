import type { Migration, MigrationProvider } from 'kysely/migration';
import { createSchema } from './migrations/0001-initial.ts';
import { createOutbox } from './migrations/0002-outbox.ts';
import { addConversation } from './migrations/0003-conversation.ts';
import { addReadMarkers } from './migrations/0004-read-markers.ts';
import { addPush } from './migrations/0005-push.ts';
import { addSearch } from './migrations/0006-search.ts';
import { addTeam } from './migrations/0007-team.ts';
import { addInviteLinks } from './migrations/0008-invite-links.ts';
import { addPasswordReset } from './migrations/0009-password-reset.ts';
import { addSearchPending } from './migrations/0010-search-pending.ts';
import { addOutboxDeliveries } from './migrations/0011-outbox-deliveries.ts';

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
    '0004-read-markers': { up: (db) => addReadMarkers(db, dialect) },
    '0005-push': { up: (db) => addPush(db) },
    '0006-search': { up: (db) => addSearch(db, dialect) },
    '0007-team': { up: (db) => addTeam(db, dialect) },
    '0008-invite-links': { up: (db) => addInviteLinks(db, dialect) },
    '0009-password-reset': { up: (db) => addPasswordReset(db) },
    '0010-search-pending': { up: (db) => addSearchPending(db, dialect) },
    '0011-outbox-deliveries': { up: (db) => addOutboxDeliveries(db) },
  };
  return { getMigrations: async () => migrations };
}
