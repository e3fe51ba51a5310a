import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { PostgresStore } from '../../src/storage/postgres/postgres-store.ts';
import { createDatabase, startPostgres, type PostgresServer } from '../helpers/services.ts';
import { sleep } from './helpers/figures.ts';

let pg: PostgresServer;
before(async () => {
  pg = await startPostgres();
});
after(() => pg.stop('immediate').catch(() => undefined));

/** Regression: a connection reset while a pooled client was checked out was emitted on the client alone, and crashed the node. */
test('PostgreSQL going away under load fails the queries under way; the process does not crash, and recovers', async () => {
  const store = await PostgresStore.open(await createDatabase(pg, 'hardening_reset'));
  const user = await store.createUser({ id: 'u1', name: 'Ann', kind: 'guest', createdAt: new Date().toISOString() });
  await store.ensureRoom({
    name: 'reset',
    visibility: 'public',
    ownerId: user.id,
    createdAt: new Date().toISOString(),
  });
  let running = true;
  let failed = 0;
  let n = 0;
  const load = Array.from({ length: 10 }, async () => {
    while (running) {
      const i = n++;
      await store
        .appendMessage({
          id: `m${i}`,
          room: 'reset',
          author: user,
          text: `m${i}`,
          date: new Date().toISOString(),
          clientId: `c${i}`,
          clientDate: undefined,
        })
        .then(
          () => store.history('reset', { kind: 'since-seq', seq: 0, limit: 50 }),
          () => failed++,
        )
        .catch(() => failed++);
    }
  });
  await sleep(500);
  await pg.stop('immediate');
  await sleep(1000);
  await pg.start();
  await sleep(1000);
  running = false;
  await Promise.all(load);
  assert.ok(failed > 0, 'queries failed while the database was away');
  // Still alive, and working again.
  const room = await store.findRoom('reset');
  assert.ok(room && room.lastSeq > 0);
  await store.close();
});
