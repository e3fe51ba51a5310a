import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { User } from '@pockychat/protocol';
import { OUTBOX_GRACE_MS, type SqlOutbox } from '../src/storage/outbox.ts';
import { PostgresStore } from '../src/storage/postgres/postgres-store.ts';
import type { SqlStore } from '../src/storage/sql/sql-store.ts';
import { SqliteStore } from '../src/storage/sqlite/sqlite-store.ts';
import type { NewMessage } from '../src/chat/model.ts';
import type { TokenNotice } from '../src/chat/ports/user-store.ts';
import type { OutboxDelivery } from '../src/fanout/fanout.ts';
import { createDatabase, startPostgres, type PostgresServer } from './helpers/services.ts';
import { tempDataDir } from './helpers/test-server.ts';

const NONE = { messages: [], deliveries: [] };

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

      assert.deepEqual(await outbox.claimDue(100), NONE, 'nothing is due during the grace period');
      const claimed = await outbox.claimDue(100, later());
      assert.deepEqual(ids(claimed.messages), [...stored].sort());
      assert.ok(claimed.messages.every((row) => row.room === 'lobby'));
      assert.deepEqual(claimed.deliveries, []);
      assert.deepEqual(await outbox.claimDue(100, later()), NONE, 'a claimed row waits out another grace period');
      await outbox.delete(stored.slice(0, 2));
      const again = await outbox.claimDue(100, later() + OUTBOX_GRACE_MS);
      assert.deepEqual(ids(again.messages), [...stored.slice(2)].sort());
      // A batch is one row, keyed by its first message: deleting that id deletes the batch's row.
      await outbox.delete([stored[2] as string]);
      assert.deepEqual(await outbox.claimDue(100, later() + 3 * OUTBOX_GRACE_MS), NONE);
    });

    test('a ban, a removal, a token revoked and a deactivation each leave their delivery whole, keyed by its id; nothing for a removal of no one', async () => {
      const now = new Date().toISOString();
      const bob = await store.createUser({ id: 'bob', name: 'Bob', kind: 'guest', createdAt: now });
      await store.ensureRoom({ name: 'kept', visibility: 'public', ownerId: ann.id, createdAt: now });
      await store.addMember('kept', bob.id, 'member', now);
      await store.saveToken('bob-1', bob.id, now);
      await store.saveToken('bob-2', bob.id, now);
      const left = (id: string, reason: 'banned' | 'removed'): OutboxDelivery => ({
        to: 'user',
        id,
        userId: bob.id,
        unsubscribe: 'kept',
        frame: { type: 'left', room: 'kept', reason },
      });
      const closing =
        (act: string): TokenNotice =>
        (tokenHash) => ({
          to: 'token',
          id: `${act}.${tokenHash}`,
          tokenHash,
          frame: { type: 'reconnect', reason: 'signed in' },
        });

      assert.equal(await store.removeMember('kept', bob.id, left('d:removed', 'removed')), true);
      assert.equal(await store.removeMember('kept', bob.id, left('d:nobody', 'removed')), false);
      await store.moderation.addBan('kept', bob.id, ann.id, now, left('d:banned', 'banned'));
      await store.deleteToken('bob-1', closing('d:one'));
      await store.saveToken('bob-3', bob.id, now);
      assert.deepEqual((await store.admins.deactivate(bob.id, now, closing('d:all')))?.sort(), ['bob-2', 'bob-3']);

      assert.deepEqual(await outbox.claimDue(100), NONE, 'nothing is due during the grace period');
      const { messages, deliveries } = await outbox.claimDue(100, later());
      assert.deepEqual(messages, []);
      assert.deepEqual(
        ids(deliveries),
        ['d:all.bob-2', 'd:all.bob-3', 'd:banned', 'd:one.bob-1', 'd:removed'],
        'each delivery once; none for the removal that removed nothing',
      );
      assert.deepEqual(
        deliveries.find((d) => d.id === 'd:banned'),
        left('d:banned', 'banned'),
      );
      await outbox.delete(deliveries.map((d) => d.id));
      assert.deepEqual(await outbox.claimDue(100, later() + 3 * OUTBOX_GRACE_MS), NONE);
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

test('a store opened for one node (no REDIS_URL) has no outbox to write, and a ban, a removal or a token ended write none', async () => {
  const store = await SqliteStore.open(path.join(tempDataDir(), 'single.sqlite'));
  assert.equal(store.outbox, undefined);
  const now = new Date().toISOString();
  const ann = await store.createUser({ id: 'ann', name: 'Ann', kind: 'guest', createdAt: now });
  await store.createUser({ id: 'bob', name: 'Bob', kind: 'guest', createdAt: now });
  await store.ensureRoom({ name: 'kept', visibility: 'public', ownerId: ann.id, createdAt: now });
  await store.addMember('kept', 'bob', 'member', now);
  await store.saveToken('bob-1', 'bob', now);
  const left: OutboxDelivery = { to: 'user', id: 'd:x', userId: 'bob', frame: { type: 'left', room: 'kept' } };
  const closing: TokenNotice = (tokenHash) => ({ to: 'token', id: `d:y.${tokenHash}`, tokenHash, frame: left.frame });
  assert.equal(await store.removeMember('kept', 'bob', left), true);
  await store.moderation.addBan('kept', 'bob', ann.id, now, left);
  assert.deepEqual(await store.admins.deactivate('bob', now, closing), ['bob-1']);
  await store.deleteToken('bob-1', closing);
  const rows = await store.db.selectFrom('outbox').selectAll().execute();
  assert.deepEqual(rows, []);
  await store.close();
});
