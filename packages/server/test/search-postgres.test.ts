import { after, before } from 'node:test';
import { PostgresStore } from '../src/storage/postgres/postgres-store.ts';
import { createDatabase, startPostgres, type PostgresServer } from './helpers/services.ts';
import { runSearchContract } from './search-contract.ts';

let server: PostgresServer;
before(async () => {
  server = await startPostgres();
});
after(() => server.stop('immediate'));

runSearchContract('PostgreSQL', async () => PostgresStore.open(await createDatabase(server, 'search')));
