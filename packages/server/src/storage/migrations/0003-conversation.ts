import { sql, type Kysely } from 'kysely';
import { LIKE_EMOJI } from '@pockychat/protocol';

/**
 * Edits, deletes, replies, mentions and reactions. Every change of a room
 * takes its next rev (rooms.last_rev, bumped with last_seq); existing
 * messages get rev = seq, so a room's last_rev starts at its last_seq. Likes
 * become reactions with ❤️ and the likes table goes: one table for both
 * keeps a like and a ❤️ reaction the same thing.
 */
export async function addConversation(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('rooms')
    .addColumn('last_rev', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await sql`update rooms set last_rev = last_seq`.execute(db);
  await db.schema
    .alterTable('messages')
    .addColumn('rev', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await sql`update messages set rev = seq`.execute(db);
  await db.schema.alterTable('messages').addColumn('edited_at', 'text').execute();
  await db.schema
    .alterTable('messages')
    .addColumn('deleted', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.alterTable('messages').addColumn('reply_to', 'text').execute();
  await db.schema.alterTable('messages').addColumn('mentions', 'text').execute();
  // history?changedSince pages by it; unique: each change takes a rev of its own.
  await db.schema.createIndex('messages_room_rev').unique().on('messages').columns(['room', 'rev']).execute();
  await db.schema
    .createTable('reactions')
    .addColumn('message_id', 'text', (c) => c.notNull().references('messages.id'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('emoji', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('reactions_pk', ['message_id', 'user_id', 'emoji'])
    .execute();
  await db.schema.createIndex('reactions_user').on('reactions').column('user_id').execute();
  await sql`insert into reactions (message_id, user_id, emoji) select message_id, user_id, ${LIKE_EMOJI} from likes`.execute(
    db,
  );
  await db.schema.dropTable('likes').execute();
}
