/**
 * What an archive holds, table by table, parents before children so that
 * an import inserts in this order. `key` orders the rows and pages through
 * them (keyset paging: no offset scans on a million messages).
 */
export interface ArchivedTable {
  name: string;
  key: readonly string[];
  /** PostgreSQL: the serial column whose sequence must move past the imported ids. */
  serial?: string;
}

export const archivedTables: readonly ArchivedTable[] = [
  { name: 'users', key: ['id'] },
  { name: 'rooms', key: ['name'] },
  { name: 'memberships', key: ['room', 'user_id'] },
  { name: 'invites', key: ['id'], serial: 'id' },
  { name: 'messages', key: ['row_id'], serial: 'row_id' },
  { name: 'reactions', key: ['message_id', 'user_id', 'emoji'] },
  { name: 'files', key: ['id'] },
  { name: 'read_markers', key: ['user_id', 'room'] },
  // Derived from messages.mentions, but archived as is: an import then counts unread mentions as the source did.
  { name: 'message_mentions', key: ['message_id', 'user_id'] },
  { name: 'notification_levels', key: ['user_id', 'room'] },
  { name: 'notification_prefs', key: ['user_id'] },
  // The links' code hashes go too: links already shared keep working on the new server.
  { name: 'invite_links', key: ['id'] },
  { name: 'group_dms', key: ['room'] },
  { name: 'group_dm_participants', key: ['room', 'user_id'] },
  { name: 'first_admin', key: ['slot'] },
  { name: 'bans', key: ['room', 'user_id'] },
  { name: 'mutes', key: ['room', 'user_id'] },
  { name: 'audit_log', key: ['id'] },
  { name: 'identities', key: ['issuer', 'subject'] },
];

/**
 * Tables left out on purpose: sessions (people sign in again on the new
 * server), the outbox (deliveries of the old server's last moments), the
 * migrator's own bookkeeping, push subscriptions (secrets of each browser,
 * bound to this server's VAPID key: browsers subscribe again), password
 * reset tokens (secrets, an hour long: people ask again) and search's index
 * (derived from messages, rebuilt by the import's inserts).
 * test/archive.test.ts fails on a table that is in neither list, so a new
 * one is never forgotten.
 */
export const unarchivedTables: readonly string[] = [
  'tokens',
  'outbox',
  'kysely_migration',
  'kysely_migration_lock',
  'push_subscriptions',
  'password_resets',
  // FTS5 and its shadow tables (SQLite), message_search (PostgreSQL).
  'search_index',
  'search_pending',
  'messages_fts',
  'messages_fts_data',
  'messages_fts_idx',
  'messages_fts_docsize',
  'messages_fts_config',
  'messages_fts_content',
  'message_search',
];

export const ARCHIVE_FORMAT = 'pockychat-archive';
export const ARCHIVE_VERSION = 1;

export interface Manifest {
  format: typeof ARCHIVE_FORMAT;
  version: number;
  exportedAt: string;
  /** The migrations the source had applied: an import needs at least these. */
  migrations: string[];
  /** Rows per table, checked after an import. */
  rows: Record<string, number>;
  files: number;
}
