import assert from 'node:assert/strict';
import { sql, type Kysely } from 'kysely';
import type { Store } from '../src/chat/ports/store.ts';
import { describeMigrationTo } from './helpers/old-database.ts';

/**
 * A database from before read markers, with mentions in messages.mentions,
 * gets its mention index filled at start: unread mentions count at once,
 * a deleted message's not at all, and new mentions go on being indexed.
 */

/** Ann and Bob in `old`: Bob mentioned Ann twice (once in a message deleted since) and himself once. */
async function fillOld(db: Kysely<any>): Promise<void> {
  const now = '2026-01-01T00:00:00.000Z';
  await sql`insert into users (id, name, kind, created_at) values ('ann', 'Ann', 'guest', ${now}), ('bob', 'Bob', 'guest', ${now})`.execute(
    db,
  );
  await sql`insert into rooms (name, visibility, owner_id, last_seq, last_rev, created_at)
            values ('old', 'private', null, 4, 5, ${now})`.execute(db);
  await sql`insert into memberships (room, user_id, role, joined_at)
            values ('old', 'ann', 'member', ${now}), ('old', 'bob', 'member', ${now})`.execute(db);
  await sql`insert into messages (id, room, seq, rev, author_id, text, date, client_id, deleted, mentions) values
            ('m1', 'old', 1, 1, 'bob', 'hi @Ann', ${now}, 'c1', 0, '["ann"]'),
            ('m2', 'old', 2, 2, 'bob', 'me @Bob', ${now}, 'c2', 0, '["bob","bob"]'),
            ('m3', 'old', 3, 5, 'bob', '', ${now}, 'c3', 1, null),
            ('m4', 'old', 4, 4, 'bob', 'and @Ann', ${now}, 'c4', 0, '["ann","bob"]')`.execute(db);
}

async function checkMigrated(store: Store): Promise<void> {
  const strip = (c: { readSeq: number; unread: number; mentions: number } | undefined) =>
    c && { readSeq: c.readSeq, unread: c.unread, mentions: c.mentions };
  assert.deepEqual(strip((await store.unreadCounts('ann')).get('old')), { readSeq: 0, unread: 3, mentions: 2 });
  assert.deepEqual(strip((await store.unreadCounts('bob')).get('old')), { readSeq: 0, unread: 0, mentions: 0 });
  const bob = { id: 'bob', name: 'Bob', kind: 'guest' } as const;
  await store.appendMessage({
    id: 'm5',
    room: 'old',
    author: bob,
    text: 'again @Ann',
    date: '2026-01-02T00:00:00.000Z',
    clientId: 'c5',
    clientDate: undefined,
    mentions: ['ann'],
  });
  await store.markRead('ann', 'old', 1);
  assert.deepEqual(strip((await store.unreadCounts('ann')).get('old')), { readSeq: 1, unread: 3, mentions: 2 });
}

describeMigrationTo('migration to read markers', '0004', { fill: fillOld, check: checkMigrated });
