import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { DiskBlobStore } from '../src/files/disk-blob-store.ts';
import { runBlobStoreContract } from './blob-store-contract.ts';
import { tempDataDir } from './helpers/test-server.ts';

runBlobStoreContract('DiskBlobStore', async () => {
  const dataDir = tempDataDir();
  const dir = path.join(dataDir, 'uploads');
  return {
    store: new DiskBlobStore(dir),
    // .part files included: a blob half written counts as left behind.
    stored: () =>
      readdir(dir).catch((err: NodeJS.ErrnoException) => {
        if (err.code === 'ENOENT') return [];
        throw err;
      }),
    close: () => rm(dataDir, { recursive: true, force: true }),
  };
});
