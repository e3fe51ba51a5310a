import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { test } from 'node:test';
import { Kysely, sql } from 'kysely';
import { FileSync } from '../src/storage/sqlite/file-sync.ts';
import { openSqlite } from '../src/storage/sqlite/node-sqlite-dialect.ts';
import { tempDataDir } from './helpers/test-server.ts';

/** A flush that finishes when the test says so, and counts how often it began. */
function manualFlush(): { sync: FileSync; started: () => number; finish: (err?: Error) => void } {
  const pending: Array<(err?: Error) => void> = [];
  let count = 0;
  const sync = new FileSync(
    () =>
      new Promise<void>((resolve, reject) => {
        count++;
        pending.push((err) => (err ? reject(err) : resolve()));
      }),
  );
  return {
    sync,
    started: () => count,
    finish: (err) => pending.shift()?.(err),
  };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

test('a sync asked for during a flush waits for the next flush, which every such caller shares', async () => {
  const { sync, started, finish } = manualFlush();
  const settled: string[] = [];
  const first = sync.sync().then(() => settled.push('first'));
  const second = sync.sync().then(() => settled.push('second'));
  const third = sync.sync().then(() => settled.push('third'));
  assert.equal(started(), 1);
  finish();
  await first;
  await turn();
  assert.deepEqual(settled, ['first'], 'the later callers wait for a flush that began after their call');
  assert.equal(started(), 2, 'one more flush, shared');
  finish();
  await Promise.all([second, third]);
  assert.deepEqual(settled, ['first', 'second', 'third']);
  assert.equal(started(), 2);
});

test('a failed flush fails its callers, and the next sync flushes again', async () => {
  const { sync, started, finish } = manualFlush();
  const failed = sync.sync();
  finish(new Error('EIO'));
  await assert.rejects(failed, /EIO/);
  const next = sync.sync();
  assert.equal(started(), 2);
  finish();
  await next;
});

test('SQLite: a write is reported only after a WAL flush that began after its commit', async () => {
  const file = path.join(tempDataDir(), 'flush.sqlite');
  const { dialect } = openSqlite(file);
  const setup = new Kysely<{ t: { v: number } }>({ dialect });
  await sql`create table t (v integer)`.execute(setup);
  await setup.destroy();

  const events: string[] = [];
  const reader = new DatabaseSync(file);
  const { sync, finish } = manualFlush();
  const flush = new FileSync(async () => {
    // What another connection sees as the flush begins: the commit is already in the WAL.
    events.push(
      `flush begins, rows committed: ${String((reader.prepare('select count(*) as n from t').get() as { n: number }).n)}`,
    );
    await sync.sync();
    events.push('flush ends');
  });
  const db = new Kysely<{ t: { v: number } }>({ dialect: openSqlite(file, flush).dialect });
  const insert = db
    .insertInto('t')
    .values({ v: 1 })
    .execute()
    .then(() => events.push('insert reported'));
  await turn();
  finish();
  await insert;
  assert.deepEqual(events, ['flush begins, rows committed: 1', 'flush ends', 'insert reported']);

  // A read writes nothing: no flush.
  events.length = 0;
  await db.selectFrom('t').selectAll().execute();
  assert.deepEqual(events, []);
  await db.destroy();
  reader.close();
});

test('a file that cannot be opened fails the flush, and a later flush opens it again', async () => {
  const file = path.join(tempDataDir(), 'later.txt');
  const sync = FileSync.ofFile(file);
  await assert.rejects(sync.sync(), /ENOENT/);
  writeFileSync(file, 'now it exists');
  await sync.sync();
  await sync.close();
});
