import { sql, type Kysely } from 'kysely';
import type { Migration, MigrationProvider } from 'kysely/migration';

// The same schema as SQLite's, in PostgreSQL's terms. Dates are ISO strings in
// "C" collation so that comparing them is comparing instants; the keys that a
// DM room rename moves are DEFERRABLE so the rename can check them at commit.
const deferrable = sql`deferrable initially immediate`;

const migrations: Record<string, Migration> = {
  '0001-initial': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('users')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('email', 'text', (c) => c.unique())
        .addColumn('password_hash', 'text')
        .addColumn('facebook_id', 'text', (c) => c.unique())
        .execute();
      await db.schema
        .createTable('tokens')
        .addColumn('token_hash', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('tokens_user').on('tokens').column('user_id').execute();
      await db.schema
        .createTable('rooms')
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('visibility', 'text', (c) => c.notNull())
        .addColumn('owner_id', 'text', (c) => c.references('users.id'))
        .addColumn('last_seq', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('memberships')
        .addColumn('room', 'text', (c) => c.notNull().references('rooms.name').modifyEnd(deferrable))
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('joined_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('memberships_pk', ['room', 'user_id'])
        .execute();
      await db.schema.createIndex('memberships_user').on('memberships').column('user_id').execute();
      await db.schema
        .createTable('messages')
        .addColumn('row_id', 'bigserial', (c) => c.primaryKey())
        .addColumn('id', 'text', (c) => c.notNull().unique())
        .addColumn('room', 'text', (c) => c.notNull().references('rooms.name').modifyEnd(deferrable))
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('author_id', 'text', (c) => c.notNull().references('users.id'))
        .addColumn('text', 'text', (c) => c.notNull())
        .addColumn('date', 'text', (c) => c.notNull().modifyEnd(sql`collate "C"`))
        .addColumn('client_id', 'text', (c) => c.notNull())
        .addColumn('client_date', 'text')
        .addColumn('file', 'text')
        .execute();
      await db.schema.createIndex('messages_room_seq').unique().on('messages').columns(['room', 'seq']).execute();
      await db.schema.createIndex('messages_room_date').on('messages').columns(['room', 'date']).execute();
      await db.schema
        .createIndex('messages_author_client')
        .unique()
        .on('messages')
        .columns(['author_id', 'client_id'])
        .execute();
      await db.schema
        .createTable('likes')
        .addColumn('message_id', 'text', (c) => c.notNull().references('messages.id'))
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
        .addPrimaryKeyConstraint('likes_pk', ['message_id', 'user_id'])
        .execute();
      await db.schema
        .createTable('invites')
        .addColumn('id', 'bigserial', (c) => c.primaryKey())
        .addColumn('room', 'text', (c) => c.notNull().references('rooms.name').modifyEnd(deferrable))
        .addColumn('user_id', 'text', (c) => c.references('users.id').onDelete('cascade'))
        .addColumn('email', 'text')
        .addColumn('facebook_id', 'text')
        .addColumn('invited_by', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('invites_room_user').unique().on('invites').columns(['room', 'user_id']).execute();
      await db.schema.createIndex('invites_room_email').unique().on('invites').columns(['room', 'email']).execute();
      await db.schema
        .createIndex('invites_room_facebook')
        .unique()
        .on('invites')
        .columns(['room', 'facebook_id'])
        .execute();
      await db.schema.createIndex('invites_user').on('invites').column('user_id').execute();
      await db.schema.createIndex('invites_email').on('invites').column('email').execute();
      await db.schema.createIndex('invites_facebook').on('invites').column('facebook_id').execute();
      await db.schema
        .createTable('files')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('room', 'text', (c) => c.notNull().references('rooms.name').modifyEnd(deferrable))
        .addColumn('message_id', 'text', (c) => c.notNull())
        .addColumn('blob_key', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('size', 'bigint', (c) => c.notNull())
        .addColumn('sha256', 'text', (c) => c.notNull())
        .addColumn('inline', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await sql`insert into rooms (name, visibility, owner_id, last_seq, created_at)
                values ('lobby', 'public', null, 0, ${new Date().toISOString()})
                on conflict do nothing`.execute(db);
    },
  },
};

export const postgresMigrations: MigrationProvider = {
  getMigrations: async () => migrations,
};
