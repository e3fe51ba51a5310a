import { sql, type ColumnDefinitionBuilder, type Kysely } from 'kysely';
import type { SqlDialect } from '../migrations.ts';

/**
 * Invite links (a room's shareable codes, kept as SHA-256 hashes) and group
 * direct messages (a room of 3 to 8 fixed participants, unique by its set
 * of people).
 */
export async function addInviteLinks(db: Kysely<unknown>, dialect: SqlDialect): Promise<void> {
  // ISO strings compared byte by byte (PostgreSQL: "C" collation) compare as instants.
  const instant = (c: ColumnDefinitionBuilder) => (dialect === 'postgres' ? c.modifyEnd(sql`collate "C"`) : c);
  await db.schema
    .createTable('invite_links')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('code_hash', 'text', (c) => c.notNull().unique())
    .addColumn('room', 'text', (c) => c.notNull().references('rooms.name'))
    .addColumn('created_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', instant)
    .addColumn('max_uses', 'integer')
    .addColumn('uses', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('revoked_at', 'text')
    .execute();
  await db.schema.createIndex('invite_links_room').on('invite_links').column('room').execute();

  await db.schema
    .createTable('group_dms')
    .addColumn('room', 'text', (c) => c.primaryKey().references('rooms.name'))
    // Null once a merge of users made this set the same as another group's: that one answers for the set.
    .addColumn('participant_key', 'text', (c) => c.unique())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('group_dm_participants')
    .addColumn('room', 'text', (c) => c.notNull().references('group_dms.room'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addPrimaryKeyConstraint('group_dm_participants_pk', ['room', 'user_id'])
    .execute();
  await db.schema.createIndex('group_dm_participants_user').on('group_dm_participants').column('user_id').execute();
}
