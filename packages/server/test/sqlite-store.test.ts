import path from 'node:path';
import { SqliteStore } from '../src/storage/sqlite/sqlite-store.ts';
import { tempDataDir } from './helpers/test-server.ts';
import { runStoreContract } from './store-contract.ts';

runStoreContract('SQLite', () => SqliteStore.open(path.join(tempDataDir(), 'store.sqlite')));
