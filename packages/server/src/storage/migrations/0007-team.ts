import { sql, type ColumnDefinitionBuilder, type Kysely } from 'kysely';
import type { SqlDialect } from '../migrations.ts';

/**
 * Running a team: admins and deactivated accounts (users.admin,
 * users.deactivated_at), the one first-admin claim, rooms' bans, mutes and
 * audit log. Moderators are a role of memberships ('moderator'): no table.
 * A server that already has accounts makes its earliest one the admin, as
 * if it had registered after this migration.
 */
export async function addTeam(db: Kysely<unknown>, dialect: SqlDialect): Promise<void> {
  const pg = dialect === 'postgres';
  // As in 0001: a DM room's rename moves room keys, checked at commit on PostgreSQL.
  const roomRef = (c: ColumnDefinitionBuilder) => {
    const ref = c.notNull().references('rooms.name');
    return pg ? ref.modifyEnd(sql`deferrable initially immediate`) : ref;
  };
  const userRef = (c: ColumnDefinitionBuilder) => c.notNull().references('users.id');

  await db.schema
    .alterTable('users')
    .addColumn('admin', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.alterTable('users').addColumn('deactivated_at', 'text').execute();
  // One row at most (slot = 1): the first account to insert it is the server's first admin,
  // even when two register at once (the primary key decides, on either database).
  await db.schema
    .createTable('first_admin')
    .addColumn('slot', 'integer', (c) => c.primaryKey())
    .addColumn('user_id', 'text', userRef)
    .execute();
  await sql`insert into first_admin (slot, user_id)
            select 1, id from users where kind <> 'guest' order by created_at, id limit 1`.execute(db);
  await sql`update users set admin = 1 where id in (select user_id from first_admin)`.execute(db);

  await db.schema
    .createTable('bans')
    .addColumn('room', 'text', roomRef)
    .addColumn('user_id', 'text', userRef)
    .addColumn('banned_by', 'text', userRef)
    .addColumn('at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('bans_pk', ['room', 'user_id'])
    .execute();
  await db.schema.createIndex('bans_user').on('bans').column('user_id').execute();
  await db.schema
    .createTable('mutes')
    .addColumn('room', 'text', roomRef)
    .addColumn('user_id', 'text', userRef)
    .addColumn('muted_by', 'text', userRef)
    .addColumn('until', 'text', (c) => (pg ? c.notNull().modifyEnd(sql`collate "C"`) : c.notNull()))
    .addPrimaryKeyConstraint('mutes_pk', ['room', 'user_id'])
    .execute();
  await db.schema.createIndex('mutes_user').on('mutes').column('user_id').execute();
  await db.schema
    .createTable('audit_log')
    .addColumn('id', 'text', (c) => (pg ? c.primaryKey().modifyEnd(sql`collate "C"`) : c.primaryKey()))
    .addColumn('room', 'text', roomRef)
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text', userRef)
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('target_user_id', 'text', (c) => c.references('users.id'))
    .addColumn('message_id', 'text')
    .addColumn('detail', 'text')
    .execute();
  await db.schema.createIndex('audit_log_room').on('audit_log').columns(['room', 'id']).execute();
}
