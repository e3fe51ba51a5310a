import type { Logger } from 'pino';
import type { Config } from './config.ts';
import type { Fanout } from './fanout/fanout.ts';
import { LocalFanout } from './fanout/local-fanout.ts';
import type { BlobStore } from './files/blob-store.ts';
import { DiskBlobStore } from './files/disk-blob-store.ts';
import type { Store } from './chat/ports/store.ts';

/**
 * The implementations the configuration asks for: the one place that
 * chooses them. PostgreSQL, SQLite and Redis are imported only when chosen:
 * a single SQLite node never loads pg or ioredis.
 */
export async function openStore(config: Config): Promise<Store> {
  if (config.database.kind === 'postgres') {
    const { PostgresStore } = await import('./storage/postgres/postgres-store.ts');
    return PostgresStore.open(config.database.url);
  }
  const { SqliteStore } = await import('./storage/sqlite/sqlite-store.ts');
  return SqliteStore.open(config.database.path);
}

export async function openFanout(config: Config, log: Logger): Promise<Fanout> {
  if (!config.redisUrl) return new LocalFanout();
  const { RedisFanout } = await import('./fanout/redis-fanout.ts');
  const fanout = new RedisFanout(config.redisUrl, log);
  await fanout.connect();
  return fanout;
}

/** Uploads live in UPLOADS_DIR (DATA_DIR/uploads); with several nodes, a directory they all share. */
export function openBlobStore(config: Config): BlobStore {
  return new DiskBlobStore(config.uploadsDir);
}
