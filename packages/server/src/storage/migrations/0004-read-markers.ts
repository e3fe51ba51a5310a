import { sql, type Kysely } from 'kysely';
import type { SqlDialect } from '../migrations.ts';

/**
 * Read markers, and an index of mentions by user so that GET /rooms counts
 * a user's unread mentions without reading the JSON of every message. The
 * index is filled from messages.mentions, a page at a time.
 */
export async function addReadMarkers(db: Kysely<unknown>, dialect: SqlDialect): Promise<void> {
  const pg = dialect === 'postgres';
  await db.schema
    .createTable('read_markers')
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    // A DM room's rename (a guest merged) moves it: PostgreSQL checks it at commit.
    .addColumn('room', 'text', (c) => {
      const ref = c.notNull().references('rooms.name');
      return pg ? ref.modifyEnd(sql`deferrable initially immediate`) : ref;
    })
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('read_markers_pk', ['user_id', 'room'])
    .execute();
  await db.schema.createIndex('read_markers_room').on('read_markers').column('room').execute();
  // No key to users: messages.mentions may name a guest merged away since.
  await db.schema
    .createTable('message_mentions')
    .addColumn('message_id', 'text', (c) => c.notNull().references('messages.id'))
    .addColumn('room', 'text', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('message_mentions_pk', ['message_id', 'user_id'])
    .execute();
  await db.schema
    .createIndex('message_mentions_user')
    .on('message_mentions')
    .columns(['user_id', 'room', 'seq'])
    .execute();
  await backfillMentions(db);
}

async function backfillMentions(db: Kysely<unknown>): Promise<void> {
  let after = 0;
  for (;;) {
    const { rows } = await sql<{ row_id: number | string; id: string; room: string; seq: number; mentions: string }>`
      select row_id, id, room, seq, mentions from messages
      where mentions is not null and deleted = 0 and row_id > ${after}
      order by row_id limit 1000`.execute(db);
    const values = rows.flatMap((row) =>
      [...new Set(JSON.parse(row.mentions) as string[])].map(
        (userId) => sql`(${row.id}, ${row.room}, ${row.seq}, ${userId})`,
      ),
    );
    // 2,000 rows of 4 stay well under PostgreSQL's 65,535 parameters.
    for (let i = 0; i < values.length; i += 2000)
      await sql`insert into message_mentions (message_id, room, seq, user_id)
                values ${sql.join(values.slice(i, i + 2000))}`.execute(db);
    if (rows.length < 1000) return;
    after = Number((rows.at(-1) as { row_id: number | string }).row_id);
  }
}
