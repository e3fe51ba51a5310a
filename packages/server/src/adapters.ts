import type { Logger } from 'pino';
import type { Config } from './config.ts';
import type { Fanout } from './fanout/fanout.ts';
import { LocalFanout } from './fanout/local-fanout.ts';
import type { BlobStore } from './files/blob-store.ts';
import { DiskBlobStore } from './files/disk-blob-store.ts';
import type { SqlStore } from './storage/sql/sql-store.ts';

/**
 * The implementations the configuration asks for: the one place that
 * chooses them. PostgreSQL, SQLite and Redis are imported only when chosen:
 * a single SQLite node never loads pg or ioredis. With several nodes
 * (REDIS_URL) the store writes an outbox row per message in its transaction;
 * a single node does not (a crash there takes its clients with it).
 */
export async function openStore(config: Config): Promise<SqlStore> {
  const outbox = config.redisUrl !== undefined;
  if (config.database.kind === 'postgres') {
    const { PostgresStore } = await import('./storage/postgres/postgres-store.ts');
    return PostgresStore.open(config.database.url, { outbox });
  }
  const { SqliteStore } = await import('./storage/sqlite/sqlite-store.ts');
  return SqliteStore.open(config.database.path, { outbox });
}

/** Local fan-out for one node; Redis for several, publishing from the store's outbox. */
export async function openFanout(config: Config, log: Logger, store: SqlStore): Promise<Fanout> {
  if (!config.redisUrl) return new LocalFanout();
  const { RedisFanout } = await import('./fanout/redis-fanout.ts');
  const outbox = store.outbox;
  const fanout = new RedisFanout(config.redisUrl, log, {
    ...(outbox && {
      outbox: {
        delete: (ids) => outbox.delete(ids),
        claimDue: (limit) => outbox.claimDue(limit),
        findMessage: (room, id) => store.findMessage(room, id),
      },
    }),
    holdPublish: config.testHoldPublish,
  });
  await fanout.connect();
  return fanout;
}

/** Uploads live in UPLOADS_DIR (DATA_DIR/uploads); with several nodes, a directory they all share. */
export function openBlobStore(config: Config): BlobStore {
  return new DiskBlobStore(config.uploadsDir);
}
