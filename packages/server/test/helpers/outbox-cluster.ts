import { after, before } from 'node:test';
import pg from 'pg';
import { PgRedisCluster } from './pg-redis-cluster.ts';
import type { SpawnedServer } from './test-server.ts';

/** A node that commits and answers but never publishes on Redis nor sweeps: a node dying after each commit. */
export const HOLD = { POCKYCHAT_TEST_HOLD_PUBLISH: '1' };

export interface OutboxCluster {
  /** The cluster of one live node, on PostgreSQL and Redis (after the suite's first `before`). */
  readonly cluster: PgRedisCluster;
  readonly live: SpawnedServer;
  /** A client of the cluster's database, to read the outbox table. */
  readonly db: pg.Client;
  /** Another node (HOLD: one that never publishes), killed when the suite ends whatever happened. */
  readonly spawn: (env?: Record<string, string>) => Promise<SpawnedServer>;
  /** The ids of the outbox's rows now. */
  readonly outboxIds: () => Promise<string[]>;
}

/**
 * The outbox suites' setup: registers, in the calling suite, a `before` that
 * starts a one-node cluster and connects to its database, and an `after`
 * that kills the nodes the tests spawned and stops it all.
 */
export function outboxCluster(name: string): OutboxCluster {
  let cluster: PgRedisCluster | undefined;
  let db: pg.Client | undefined;
  const spawned: SpawnedServer[] = [];
  before(async () => {
    cluster = await PgRedisCluster.start(name, 1);
    db = new pg.Client({ connectionString: cluster.databaseUrl });
    await db.connect();
  });
  after(async () => {
    await Promise.all(spawned.map((node) => node.stop('SIGKILL')));
    await db?.end();
    await cluster?.stop();
  });
  const started = () => {
    if (!cluster || !db) throw new Error('outboxCluster: used before its before() ran');
    return { cluster, db };
  };
  return {
    get cluster() {
      return started().cluster;
    },
    get live() {
      return started().cluster.nodes[0] as SpawnedServer;
    },
    get db() {
      return started().db;
    },
    spawn: async (env = {}) => {
      const node = await started().cluster.spawnNode(env);
      spawned.push(node);
      return node;
    },
    outboxIds: async () =>
      (await started().db.query<{ id: string }>('select id from outbox')).rows.map((row) => row.id),
  };
}
