import { sql, type Kysely } from 'kysely';
import { Migrator, type MigrationProvider } from 'kysely/migration';
import { ComposedStore } from '../composed-store.ts';
import type { Database } from '../schema.ts';
import type { SqlOutbox } from '../outbox.ts';
import type { SqlDialectOps } from './dialect-ops.ts';
import { SqlGroupDmStore } from './sql-group-dm-store.ts';
import { SqlInviteLinkStore } from './sql-invite-link-store.ts';
import { SqlMessageStore } from './sql-message-store.ts';
import { SqlReadStore } from './sql-read-store.ts';
import { SqlPushStore } from './sql-push-store.ts';
import { SqlAdminStore } from './sql-admin-store.ts';
import { SqlModerationStore } from './sql-moderation-store.ts';
import { SqlRoomStore } from './sql-room-store.ts';
import { SqlSignInStore } from './sql-sign-in-store.ts';
import { SqlUserStore } from './sql-user-store.ts';

/** Brings a database's schema up to date; throws if a migration fails. */
export async function migrate(db: Kysely<Database>, provider: MigrationProvider): Promise<void> {
  const { error } = await new Migrator({ db, provider }).migrateToLatest();
  if (error) {
    await db.destroy();
    throw error instanceof Error ? error : new Error(`migration failed: ${JSON.stringify(error)}`);
  }
}

/**
 * The whole Store over Kysely, shared by SQLite and PostgreSQL: the user,
 * room and message stores on one database. A merge of users first lets the
 * message writes under way commit (it moves their rows), and so does close.
 */
export class SqlStore extends ComposedStore {
  /** The outbox this store writes, if it was opened for several nodes. */
  readonly outbox: SqlOutbox | undefined;
  /** The database itself, for the tools that work table by table (export and import: storage/archive/). */
  readonly db: Kysely<Database>;

  constructor(db: Kysely<Database>, ops: SqlDialectOps) {
    const messages = new SqlMessageStore(db, ops);
    super({
      users: new SqlUserStore(db, ops, () => messages.idle()),
      rooms: new SqlRoomStore(db, ops.outbox),
      messages,
      reads: new SqlReadStore(db),
      push: new SqlPushStore(db),
      search: ops.search,
      links: new SqlInviteLinkStore(db, ops.lockRooms),
      groupDms: new SqlGroupDmStore(db),
      admins: new SqlAdminStore(db, ops.outbox),
      moderation: new SqlModerationStore(db, ops.outbox),
      signIns: new SqlSignInStore(db),
      ping: async () => {
        await sql`select 1`.execute(db);
      },
      close: async () => {
        await messages.idle();
        // Kysely serialises on its single SQLite connection, so destroy() runs
        // after every query already queued, including open transactions.
        await ops.beforeClose?.(db).catch(() => undefined);
        await db.destroy();
      },
    });
    this.outbox = ops.outbox;
    this.db = db;
  }
}
