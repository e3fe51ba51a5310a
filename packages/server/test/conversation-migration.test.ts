import assert from 'node:assert/strict';
import { sql, type Kysely } from 'kysely';
import { LIKE_EMOJI } from '@pockychat/protocol';
import type { Store } from '../src/chat/ports/store.ts';
import { describeMigrationTo } from './helpers/old-database.ts';

/**
 * A database from before revs and reactions, with messages and likes, is
 * brought up to date at start: every message gets rev = seq, every room
 * last_rev = last_seq, every like becomes the reaction ❤️, and the next
 * message and change take the next revs.
 */

/** The migrations up to (and without) the one that added revs and reactions. */
/** Rows as a v1 server left them: two messages in `old`, the first liked by both users. */
async function fillOld(db: Kysely<any>): Promise<void> {
  const now = '2026-01-01T00:00:00.000Z';
  await sql`insert into users (id, name, kind, created_at) values ('ann', 'Ann', 'guest', ${now}), ('bob', 'Bob', 'guest', ${now})`.execute(
    db,
  );
  await sql`insert into rooms (name, visibility, owner_id, last_seq, created_at) values ('old', 'public', null, 2, ${now})`.execute(
    db,
  );
  await sql`insert into messages (id, room, seq, author_id, text, date, client_id) values
            ('m1', 'old', 1, 'ann', 'first', ${now}, 'c1'), ('m2', 'old', 2, 'bob', 'second', ${now}, 'c2')`.execute(
    db,
  );
  await sql`insert into likes (message_id, user_id) values ('m1', 'ann'), ('m1', 'bob')`.execute(db);
}

async function checkMigrated(store: Store): Promise<void> {
  const room = await store.findRoom('old');
  assert.deepEqual([room?.lastSeq, room?.lastRev], [2, 2]);
  const [m1, m2] = await store.history('old', { kind: 'since-seq', seq: 0, limit: 10 });
  assert.deepEqual([m1?.rev, m2?.rev], [1, 2], 'rev = seq');
  assert.deepEqual(m1?.reactions, { [LIKE_EMOJI]: ['ann', 'bob'] });
  assert.deepEqual(m1?.likes, ['ann', 'bob'], 'the likes kept, as ❤️');
  assert.deepEqual([m2?.reactions, m2?.mentions, m2?.deleted, m2?.editedAt], [{}, [], undefined, undefined]);
  const ann = { id: 'ann', name: 'Ann', kind: 'guest' } as const;
  const { message: m3 } = await store.appendMessage({
    id: 'm3',
    room: 'old',
    author: ann,
    text: 'after',
    date: '2026-01-02T00:00:00.000Z',
    clientId: 'c3',
    clientDate: undefined,
  });
  assert.deepEqual([m3.seq, m3.rev], [3, 3]);
  const unliked = await store.changeMessage('old', 'm1', {
    kind: 'react',
    userId: 'bob',
    emoji: LIKE_EMOJI,
    on: false,
  });
  assert.equal(unliked.status === 'changed' && unliked.message.rev, 4);
  assert.deepEqual(
    (await store.history('old', { kind: 'changed-since', rev: 2, limit: 10 })).map((m) => m.id),
    ['m3', 'm1'],
  );
}

describeMigrationTo('migration to revs and reactions', '0003', { fill: fillOld, check: checkMigrated });
