import type { Logger } from 'pino';
import type { Config } from './config.ts';
import type { Fanout } from './fanout/fanout.ts';
import { LocalFanout } from './fanout/local-fanout.ts';
import { RedisFanout } from './fanout/redis-fanout.ts';
import type { BlobStore } from './files/blob-store.ts';
import { DiskBlobStore } from './files/disk-blob-store.ts';
import { PostgresStore } from './storage/postgres/postgres-store.ts';
import { SqliteStore } from './storage/sqlite/sqlite-store.ts';
import type { Store } from './storage/store.ts';

/** The implementations the configuration asks for: the one place that chooses them. */
export async function openStore(config: Config): Promise<Store> {
  return config.database.kind === 'postgres'
    ? PostgresStore.open(config.database.url)
    : SqliteStore.open(config.database.path);
}

export async function openFanout(config: Config, log: Logger): Promise<Fanout> {
  if (!config.redisUrl) return new LocalFanout();
  const fanout = new RedisFanout(config.redisUrl, log);
  await fanout.connect();
  return fanout;
}

/** Uploads live in UPLOADS_DIR (DATA_DIR/uploads); with several nodes, a directory they all share. */
export function openBlobStore(config: Config): BlobStore {
  return new DiskBlobStore(config.uploadsDir);
}
