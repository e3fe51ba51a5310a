import type { Kysely } from 'kysely';

/**
 * Web Push: the browsers' subscriptions (by endpoint: one browser, one
 * row, whoever signed in last), the notification level a user set for a
 * room, and each user's preview setting. Levels name the room without a
 * foreign key: a DM room renamed by a merge of users takes its levels along
 * (merge-users.ts), and a room's levels outlive nothing that matters.
 */
export async function addPush(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('push_subscriptions')
    .addColumn('endpoint', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('p256dh', 'text', (c) => c.notNull())
    .addColumn('auth', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('push_subscriptions_user').on('push_subscriptions').column('user_id').execute();
  await db.schema
    .createTable('notification_levels')
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('room', 'text', (c) => c.notNull())
    .addColumn('level', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('notification_levels_pk', ['user_id', 'room'])
    .execute();
  await db.schema.createIndex('notification_levels_room').on('notification_levels').column('room').execute();
  await db.schema
    .createTable('notification_prefs')
    .addColumn('user_id', 'text', (c) => c.primaryKey().references('users.id'))
    .addColumn('preview', 'integer', (c) => c.notNull())
    .execute();
}
