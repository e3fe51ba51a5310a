import { sql, type ColumnDefinitionBuilder, type Kysely } from 'kysely';
import type { SqlDialect } from '../migrations.ts';

/** The first schema: users, sign-in tokens, rooms, members, invites, messages, likes, files; the lobby. */
export async function createSchema(db: Kysely<unknown>, dialect: SqlDialect): Promise<void> {
  const pg = dialect === 'postgres';
  const serial = (c: ColumnDefinitionBuilder) => (pg ? c.primaryKey() : c.primaryKey().autoIncrement());
  const serialType = pg ? 'bigserial' : 'integer';
  // A DM room's rename (a guest merged into an account) moves these keys: PostgreSQL checks them at commit.
  const roomRef = (c: ColumnDefinitionBuilder) => {
    const ref = c.notNull().references('rooms.name');
    return pg ? ref.modifyEnd(sql`deferrable initially immediate`) : ref;
  };

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
    .addColumn('room', 'text', roomRef)
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('joined_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('memberships_pk', ['room', 'user_id'])
    .execute();
  await db.schema.createIndex('memberships_user').on('memberships').column('user_id').execute();
  await db.schema
    .createTable('messages')
    .addColumn('row_id', serialType, serial)
    .addColumn('id', 'text', (c) => c.notNull().unique())
    .addColumn('room', 'text', roomRef)
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('author_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('text', 'text', (c) => c.notNull())
    // ISO strings compared byte by byte (PostgreSQL: "C" collation) compare as instants.
    .addColumn('date', 'text', (c) => (pg ? c.notNull().modifyEnd(sql`collate "C"`) : c.notNull()))
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('client_date', 'text')
    .addColumn('file', 'text')
    .execute();
  // The three ways messages are looked up: by seq range, by date, by resent clientId.
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
  // One row per invite: to a user, or pending for an email or a Facebook id without an account yet.
  await db.schema
    .createTable('invites')
    .addColumn('id', serialType, serial)
    .addColumn('room', 'text', roomRef)
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
  for (const column of ['user_id', 'email', 'facebook_id']) {
    await db.schema.createIndex(`invites_by_${column}`).on('invites').column(column).execute();
  }
  // A file belongs to the message that shared it; its bytes live in the blob store under blob_key.
  await db.schema
    .createTable('files')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('room', 'text', roomRef)
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
            values ('lobby', 'public', null, 0, ${new Date().toISOString()})`.execute(db);
}
