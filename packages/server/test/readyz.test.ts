import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createApp, type App } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { LocalFanout } from '../src/fanout/local-fanout.ts';
import { createLogger } from '../src/logger.ts';
import { PostgresStore } from '../src/storage/postgres/postgres-store.ts';
import { api } from './helpers/clients.ts';
import { createDatabase, startPostgres, type PostgresServer } from './helpers/services.ts';
import { startTestServer, tempDataDir } from './helpers/test-server.ts';
import { waitFor } from './helpers/wait-for.ts';

/** Readiness follows the database: a load balancer takes a node out while its database is away. */
describe('/readyz', () => {
  test('200 with the database and the fan-out up (SQLite)', async () => {
    const server = await startTestServer();
    try {
      const answer = await api(server.url, undefined, '/readyz');
      assert.equal(answer.status, 200);
      assert.deepEqual(answer.body, { ok: true, database: true, fanout: true });
    } finally {
      await server.close();
    }
  });

  describe('PostgreSQL stopped and started again', () => {
    let pg: PostgresServer;
    let app: App;
    let url: string;
    before(async () => {
      pg = await startPostgres();
      const databaseUrl = await createDatabase(pg, 'readyz');
      const env = {
        PORT: '0',
        HOST: '127.0.0.1',
        DATA_DIR: tempDataDir(),
        LOG_LEVEL: 'silent',
        DATABASE_URL: databaseUrl,
      };
      const config = loadConfig(env);
      const store = await PostgresStore.open(databaseUrl);
      app = await createApp({ config, log: createLogger(config.logLevel), store, fanout: new LocalFanout() });
      url = (await app.listen()).replace('localhost', '127.0.0.1');
    });
    after(async () => {
      await app.close();
      await pg.stop('immediate');
    });

    test('503 with database: false while PostgreSQL is away, 200 once it is back', async () => {
      assert.equal((await api(url, undefined, '/readyz')).status, 200);
      await pg.stop('immediate');
      const away = await api(url, undefined, '/readyz');
      assert.equal(away.status, 503);
      assert.deepEqual(away.body, { ok: false, database: false, fanout: true });
      assert.equal((await api(url, undefined, '/healthz')).status, 200, 'the node itself is alive');
      await pg.start();
      await waitFor(async () => (await api(url, undefined, '/readyz')).status === 200, {
        timeoutMs: 15_000,
        what: 'readiness once PostgreSQL is back',
      });
    });
  });
});
