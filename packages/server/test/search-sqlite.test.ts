import path from 'node:path';
import { SqliteStore } from '../src/storage/sqlite/sqlite-store.ts';
import { tempDataDir } from './helpers/test-server.ts';
import { runSearchContract } from './search-contract.ts';

const open = async () => SqliteStore.open(path.join(tempDataDir(), 'search.db'));

// New messages wait outside the index until the live indexer takes them (migration 0010):
// the contract holds with all of them pending, with all of them indexed (the edit and the
// delete then go through the index's trigger), and with the indexer running as it does.
runSearchContract('SQLite, every message pending', open, { searchIndexing: { paused: true } });
runSearchContract('SQLite, every message indexed', open, {
  searchIndexing: { paused: true },
  afterAppend: (server) => server.app.drainSearchIndex(),
});
runSearchContract('SQLite, indexer running', open);
