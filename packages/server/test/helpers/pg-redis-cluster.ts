import { createDatabase, startPostgres, startRedis, type PostgresServer, type RedisServer } from './services.ts';
import { spawnServer, tempDataDir, type SpawnedServer } from './test-server.ts';

/**
 * Node processes sharing one PostgreSQL, one Redis and one DATA_DIR, as in
 * docs/operations.md (without the load balancer: clients pick a node).
 */
export class PgRedisCluster {
  readonly pg: PostgresServer;
  readonly redis: RedisServer;
  readonly nodes: SpawnedServer[] = [];
  readonly #env: Record<string, string>;
  readonly #dataDir = tempDataDir();

  private constructor(pg: PostgresServer, redis: RedisServer, databaseUrl: string) {
    this.pg = pg;
    this.redis = redis;
    this.#env = { DATABASE_URL: databaseUrl, REDIS_URL: redis.url, RATE_LIMIT_MESSAGES: '1000' };
  }

  /** Starts PostgreSQL and Redis, a database named `database`, and `count` nodes on them. */
  static async start(database: string, count: number): Promise<PgRedisCluster> {
    const [pg, redis] = await Promise.all([startPostgres(), startRedis()]);
    const cluster = new PgRedisCluster(pg, redis, await createDatabase(pg, database));
    cluster.nodes.push(...(await Promise.all(Array.from({ length: count }, () => cluster.spawnNode()))));
    return cluster;
  }

  /** A new node process on the cluster's database, Redis and DATA_DIR (to add one, or replace one that was killed). */
  spawnNode(): Promise<SpawnedServer> {
    return spawnServer({ dataDir: this.#dataDir, env: this.#env });
  }

  async stop(): Promise<void> {
    await Promise.all(this.nodes.map((n) => n.stop('SIGKILL')));
    await this.redis.stop();
    await this.pg.stop('immediate');
  }
}
