import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { User } from '@pockychat/protocol';
import { OUTBOX_GRACE_MS, type SqlOutbox } from '../src/storage/outbox.ts';
import { PostgresStore } from '../src/storage/postgres/postgres-store.ts';
import type { SqlStore } from '../src/storage/sql/sql-store.ts';
import { SqliteStore } from '../src/storage/sqlite/sqlite-store.ts';
import type { NewMessage } from '../src/chat/model.ts';
import { createDatabase, startPostgres, type PostgresServer } from './helpers/services.ts';
import { tempDataDir } from './helpers/test-server.ts';

/** The outbox table beneath the Redis fan-out, on both databases: rows written with their messages, claimed once. */
function runOutboxSuite(name: string, open: () => Promise<SqlStore>): void {
  describe(`outbox rows: ${name}`, () => {
    let store: SqlStore;
    let outbox: SqlOutbox;
    let ann: User;
    let n = 0;
    const message = (clientId = `c${++n}`): NewMessage => ({
      id: `m${++n}`,
      room: 'lobby',
      author: ann,
      text: `text ${n}`,
      date: new Date().toISOString(),
      clientId,
      clientDate: undefined,
    });
    const later = () => Date.now() + OUTBOX_GRACE_MS + 1;
    const ids = (rows: Array<{ id: string }>) => rows.map((row) => row.id).sort();

    before(async () => {
      store = await open();
      outbox = store.outbox as SqlOutbox;
      ann = await store.createUser({ id: 'ann', name: 'Ann', kind: 'guest', createdAt: new Date().toISOString() });
    });
    after(() => store.close());

    test('every message stored is named by a row (one per batch, keyed by its first message); a resend adds none; a row is claimed once per grace period', async () => {
      const first = await store.appendMessage(message('resent'));
      // One group commit: a new message with a resent one, so the batch is redone message by message.
      const [second, resent] = await Promise.all([
        store.appendMessage(message()),
        store.appendMessage(message('resent')),
      ]);
      const batch = await Promise.all([store.appendMessage(message()), store.appendMessage(message())]);
      assert.equal(resent.duplicate, true);
      const stored = [first, second, ...batch].map((r) => r.message.id);

      assert.deepEqual(await outbox.claimDue(100), [], 'nothing is due during the grace period');
      const claimed = await outbox.claimDue(100, later());
      assert.deepEqual(ids(claimed), [...stored].sort());
      assert.ok(claimed.every((row) => row.room === 'lobby'));
      assert.deepEqual(await outbox.claimDue(100, later()), [], 'a claimed row waits out another grace period');
      await outbox.delete(stored.slice(0, 2));
      assert.deepEqual(ids(await outbox.claimDue(100, later() + OUTBOX_GRACE_MS)), [...stored.slice(2)].sort());
      // A batch is one row, keyed by its first message: deleting that id deletes the batch's row.
      await outbox.delete([stored[2] as string]);
      assert.deepEqual(await outbox.claimDue(100, later() + 3 * OUTBOX_GRACE_MS), []);
    });
  });
}

let pg: PostgresServer;
before(async () => {
  pg = await startPostgres();
});
after(() => pg.stop('immediate'));

runOutboxSuite('SQLite', () => SqliteStore.open(path.join(tempDataDir(), 'outbox.sqlite'), { outbox: true }));
runOutboxSuite('PostgreSQL', async () => PostgresStore.open(await createDatabase(pg, 'outbox_rows'), { outbox: true }));

test('a store opened for one node (no REDIS_URL) has no outbox to write', async () => {
  const store = await SqliteStore.open(path.join(tempDataDir(), 'single.sqlite'));
  assert.equal(store.outbox, undefined);
  await store.close();
});
