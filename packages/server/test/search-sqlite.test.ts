import path from 'node:path';
import { SqliteStore } from '../src/storage/sqlite/sqlite-store.ts';
import { tempDataDir } from './helpers/test-server.ts';
import { runSearchContract } from './search-contract.ts';

runSearchContract('SQLite', async () => SqliteStore.open(path.join(tempDataDir(), 'search.db')));
