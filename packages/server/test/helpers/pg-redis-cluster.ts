import type { AuthAnswer } from '@pockychat/protocol';
import { ChatClient, guest } from './clients.ts';
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
  /** The nodes' database, for tests that look at its tables. */
  readonly databaseUrl: string;
  readonly #env: Record<string, string>;
  readonly #dataDir = tempDataDir();
  #stopped: Promise<void> | undefined;

  private constructor(pg: PostgresServer, redis: RedisServer, databaseUrl: string) {
    this.pg = pg;
    this.redis = redis;
    this.databaseUrl = databaseUrl;
    this.#env = { DATABASE_URL: databaseUrl, REDIS_URL: redis.url, RATE_LIMIT_MESSAGES: '1000' };
  }

  /** Starts PostgreSQL and Redis, a database named `database`, and `count` nodes on them. */
  static async start(database: string, count: number): Promise<PgRedisCluster> {
    const [pg, redis] = await Promise.all([startPostgres(), startRedis()]);
    const cluster = new PgRedisCluster(pg, redis, await createDatabase(pg, database));
    await cluster.addNodes(count);
    return cluster;
  }

  /**
   * `count` more nodes, started at once, in `nodes`. If one fails to start,
   * the whole cluster is stopped before the error is thrown: the nodes that
   * did start would keep the test's process alive, and the suite hanging.
   */
  async addNodes(count: number, env: Record<string, string> = {}): Promise<SpawnedServer[]> {
    const started = await Promise.allSettled(Array.from({ length: count }, () => this.spawnNode(env)));
    const nodes = started.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
    this.nodes.push(...nodes);
    const failed = started.find((result) => result.status === 'rejected');
    if (failed) {
      await this.stop();
      throw failed.reason;
    }
    return nodes;
  }

  /**
   * A new node process on the cluster's database, Redis and DATA_DIR (to add
   * one, or replace one that was killed), with `env` added to the nodes' own.
   */
  spawnNode(env: Record<string, string> = {}): Promise<SpawnedServer> {
    return spawnServer({ dataDir: this.#dataDir, env: { ...this.#env, ...env } });
  }

  /** Ann, connected to node 0, and Bob, to node 1, both in `room` (a public room Ann opens). */
  async annAndBob(room: string): Promise<{ ann: AuthAnswer; bob: AuthAnswer; a: ChatClient; b: ChatClient }> {
    const [first, second] = this.nodes.map((n) => n.url) as [string, string];
    const [ann, bob] = await Promise.all([guest(first, 'Ann'), guest(second, 'Bob')]);
    const a = await ChatClient.connect(first, ann.token);
    const b = await ChatClient.connect(second, bob.token);
    await a.join(room, 'public');
    await b.join(room);
    return { ann, bob, a, b };
  }

  /** Stops the nodes, Redis and PostgreSQL; once (a failed addNodes and the suite's after() both call it). */
  stop(): Promise<void> {
    this.#stopped ??= (async () => {
      await Promise.all(this.nodes.map((n) => n.stop('SIGKILL')));
      await this.redis.stop();
      await this.pg.stop('immediate');
    })();
    return this.#stopped;
  }
}
