import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, test } from 'node:test';
import { Kysely, sql } from 'kysely';
import type { User } from '@pockychat/protocol';
import type { Store } from '../src/chat/ports/store.ts';
import { createLogger } from '../src/logger.ts';
import { openSqlite } from '../src/storage/sqlite/node-sqlite-dialect.ts';
import { SqliteStore } from '../src/storage/sqlite/sqlite-store.ts';
import { migrate } from '../src/storage/sql/sql-store.ts';
import { startLiveIndexing } from '../src/transport/search-live-indexing.ts';
import { migrationsBefore } from './helpers/old-database.ts';
import { tempDataDir } from './helpers/test-server.ts';
import { waitFor } from './helpers/wait-for.ts';

/**
 * SQLite's pending tail (migration 0010): a new message is not indexed in
 * its send's commit but found by a scan until the live indexer takes it;
 * the indexer's batches neither lose nor double one, and edits and deletes
 * are right on both sides of the tail's start.
 */

const now = '2026-01-01T00:00:00.000Z';
let ann: User;

async function openStore(): Promise<SqliteStore> {
  const store = await SqliteStore.open(path.join(tempDataDir(), 'pending.db'));
  ann = await store.createUser({ id: 'ann', name: 'Ann', kind: 'guest', createdAt: now });
  await store.ensureRoom({ name: 'r', visibility: 'public', ownerId: null, createdAt: now });
  return store;
}

async function say(store: Store, id: string, text: string): Promise<void> {
  await store.appendMessage({
    id,
    room: 'r',
    author: ann,
    text,
    date: now,
    clientId: `c-${id}`,
    clientDate: undefined,
  });
}

const found = async (store: Store, term: string) =>
  (await store.searchCandidates([term], ['r'], 100)).map((c) => c.id).sort();

/** How many rows the FTS5 index holds: a message indexed twice would count twice. */
async function indexedRows(store: SqliteStore): Promise<number> {
  const { rows } = await sql<{ n: number }>`select count(*) as n from messages_fts_docsize`.execute(store.db);
  return rows[0]?.n ?? -1;
}

describe('search: the pending tail (SQLite)', () => {
  test('a new message is found at once, pending; indexed in batches, it is found once, never twice', async () => {
    const store = await openStore();
    try {
      for (let i = 1; i <= 25; i++) await say(store, `m${i}`, `pending walrus number ${i}`);
      assert.equal(await store.pendingCount(), 25);
      assert.equal(await indexedRows(store), 0, 'the sends indexed nothing');
      assert.equal((await found(store, 'walrus')).length, 25, 'found while pending');
      assert.equal(await store.indexPending(10), 10);
      assert.equal(await store.pendingCount(), 15);
      assert.equal((await found(store, 'walrus')).length, 25, 'half indexed, half pending: each once');
      assert.deepEqual(await found(store, 'number 12'), ['m12'], 'an indexed one');
      assert.deepEqual(await found(store, 'number 25'), ['m25'], 'a pending one');
      assert.equal(await store.indexPending(100), 15);
      assert.equal(await store.indexPending(100), 0, 'nothing left');
      assert.equal(await indexedRows(store), 25);
      assert.equal((await found(store, 'walrus')).length, 25);
    } finally {
      await store.close();
    }
  });

  test('edits and deletes: of indexed messages through the index, of pending ones when indexed', async () => {
    const store = await openStore();
    try {
      await say(store, 'old-edit', 'indexed apricot');
      await say(store, 'old-delete', 'indexed apricot too');
      await store.indexPending(100);
      await say(store, 'new-edit', 'pending apricot');
      await say(store, 'new-delete', 'pending apricot too');
      const editedAt = now;
      await store.changeMessage('r', 'old-edit', { kind: 'edit', text: 'indexed banana', editedAt });
      await store.changeMessage('r', 'old-delete', { kind: 'delete' });
      await store.changeMessage('r', 'new-edit', { kind: 'edit', text: 'pending banana', editedAt });
      await store.changeMessage('r', 'new-delete', { kind: 'delete' });
      const check = async (when: string) => {
        assert.deepEqual(await found(store, 'apricot'), [], `${when}: no old text, no deleted message`);
        assert.deepEqual(await found(store, 'banana'), ['new-edit', 'old-edit'], `${when}: the new text`);
      };
      await check('pending');
      await store.indexPending(100);
      await check('indexed');
      assert.equal(await indexedRows(store), 2, 'the deleted ones are not in the index');
    } finally {
      await store.close();
    }
  });

  test('a database from before 0010: what the insert trigger indexed stays indexed, new messages wait', async () => {
    const file = path.join(tempDataDir(), 'old.db');
    const db = new Kysely<any>({ dialect: openSqlite(file).dialect });
    await migrate(db, migrationsBefore('sqlite', '0010'));
    await sql`insert into users (id, name, kind, created_at) values ('ann', 'Ann', 'guest', ${now})`.execute(db);
    await sql`insert into rooms (name, visibility, owner_id, last_seq, last_rev, created_at)
      values ('r', 'public', null, 2, 2, ${now})`.execute(db);
    await sql`insert into messages (id, room, seq, rev, author_id, text, date, client_id)
      values ('a', 'r', 1, 1, 'ann', 'before the upgrade', ${now}, 'ca'),
             ('b', 'r', 2, 2, 'ann', 'also before, edited after', ${now}, 'cb')`.execute(db);
    await db.destroy();
    const store = await SqliteStore.open(file);
    ann = (await store.findUser('ann')) as User;
    try {
      assert.equal(await store.pendingCount(), 0, 'the old insert trigger indexed them');
      assert.equal(await indexedRows(store), 2);
      await store.changeMessage('r', 'b', { kind: 'edit', text: 'edited after the upgrade', editedAt: now });
      await say(store, 'c', 'after the upgrade');
      assert.equal(await store.pendingCount(), 1);
      assert.deepEqual(await found(store, 'upgrade'), ['a', 'b', 'c']);
      assert.deepEqual(await found(store, 'also before'), [], 'the edit went through the index');
    } finally {
      await store.close();
    }
  });

  test('the live indexer waits while the event loop is busy, unless too many are pending; idle, it catches up', async () => {
    const store = await openStore();
    // Another task holding the event loop all the time but between its 18 ms
    // turns, as a flood of sends would. Re-armed by setImmediate, not a timer,
    // so that a process kept off the CPU by other load (CI) shows no idle gaps.
    let busy = true;
    const hog = () => {
      const until = performance.now() + 18;
      while (busy && performance.now() < until);
      if (busy) setImmediate(hog);
    };
    hog();
    await new Promise((resolve) => setTimeout(resolve, 100));
    const indexing = startLiveIndexing(store, createLogger('silent'), { tickMs: 20, maxPending: 50, batch: 10 });
    try {
      for (let i = 1; i <= 40; i++) await say(store, `m${i}`, `busy hour ${i}`);
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.equal(await store.pendingCount(), 40, 'busy, and under maxPending: not one indexed');
      for (let i = 41; i <= 120; i++) await say(store, `m${i}`, `busy hour ${i}`);
      await waitFor(async () => (await store.pendingCount()) <= 50, { what: 'the tail cut back to maxPending' });
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.equal(await store.pendingCount(), 50, 'only what is over maxPending, while busy');
      busy = false;
      await waitFor(async () => (await store.pendingCount()) === 0, { what: 'the catch-up once idle' });
      assert.equal(await indexedRows(store), 120);
      assert.equal((await found(store, 'busy hour')).length, 100, 'the cap; every one once');
    } finally {
      busy = false;
      await indexing.stop();
      await store.close();
    }
  });
  test('a catch-up takes at most a share of each tick, and goes on at the next ones', async () => {
    const store = await openStore();
    // Each batch holds the event loop 20 ms: 20 batches would be 400 ms, over a 100 ms tick's share.
    const indexPending = store.indexPending.bind(store);
    store.indexPending = async (max) => {
      const until = performance.now() + 20;
      while (performance.now() < until);
      return indexPending(max);
    };
    for (let i = 1; i <= 200; i++) await say(store, `d${i}`, `duty cycle ${i}`);
    const indexing = startLiveIndexing(store, createLogger('silent'), { tickMs: 100, batch: 10 });
    try {
      await waitFor(async () => (await store.pendingCount()) < 200, { what: 'a first tick' });
      // 300 ms on: three ticks, 30 ms each (two batches); without the share, 15 batches would be done.
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.ok((await store.pendingCount()) >= 100, 'the ticks left most of it for the next ones');
      await waitFor(async () => (await store.pendingCount()) === 0, { what: 'the catch-up over several ticks' });
      assert.equal(await indexedRows(store), 200);
    } finally {
      await indexing.stop();
      await store.close();
    }
  });
});
