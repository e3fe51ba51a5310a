import { loadConfig } from '../config.ts';
import { openBlobStore, openStore } from '../adapters.ts';
import type { SqlStore } from '../storage/sql/sql-store.ts';
import type { BlobStore } from '../files/blob-store.ts';
import type { Config } from '../config.ts';

/**
 * What `npm run export` and `npm run import` share: the archive file from
 * the command line, and the server's own database and uploads directory
 * from the same environment variables as the server (DATABASE_URL,
 * DATA_DIR, UPLOADS_DIR).
 */
export async function runArchiveCommand(
  verb: string,
  work: (parts: { store: SqlStore; blobs: BlobStore; config: Config; file: string }) => Promise<string>,
): Promise<void> {
  const file = process.argv[2];
  if (!file) {
    process.stderr.write(`usage: npm run ${verb} -- FILE\n`);
    process.exit(2);
  }
  const config = loadConfig();
  const store = await openStore(config);
  try {
    process.stdout.write(`${await work({ store, blobs: openBlobStore(config), config, file })}\n`);
  } catch (err) {
    process.stderr.write(`pockychat ${verb}: ${(err as Error).message}\n`);
    process.exitCode = 1;
  } finally {
    await store.close();
  }
}
