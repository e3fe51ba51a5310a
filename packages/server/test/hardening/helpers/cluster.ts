import {
  createDatabase,
  startPostgres,
  startRedis,
  type PostgresServer,
  type RedisServer,
} from '../../helpers/services.ts';
import { createServer, type Server } from 'node:net';
import { spawnServer, tempDataDir, type SpawnedServer } from '../../helpers/test-server.ts';
import { sleep } from './figures.ts';

export interface ClusterNode {
  readonly port: number;
  readonly url: string;
  server: SpawnedServer | undefined;
}

/**
 * Node processes on fixed ports sharing one PostgreSQL and one Redis, each
 * of which the tests stop and start for real. A node's port survives its
 * restarts, so clients can keep a list of addresses as behind a balancer.
 */
export class Cluster {
  readonly pg: PostgresServer;
  readonly redis: RedisServer;
  readonly nodes: ClusterNode[];
  readonly env: Record<string, string>;
  readonly dataDir = tempDataDir();

  private constructor(pg: PostgresServer, redis: RedisServer, nodes: ClusterNode[], env: Record<string, string>) {
    this.pg = pg;
    this.redis = redis;
    this.nodes = nodes;
    this.env = env;
  }

  static async start(name: string, size: number, env: Record<string, string> = {}): Promise<Cluster> {
    const [pg, redis] = await Promise.all([startPostgres(), startRedis()]);
    const nodes = (await distinctPorts(size)).map((port) => ({
      port,
      url: `http://127.0.0.1:${port}`,
      server: undefined,
    }));
    const cluster = new Cluster(pg, redis, nodes, {
      DATABASE_URL: await createDatabase(pg, name),
      REDIS_URL: redis.url,
      ...env,
    });
    // One at a time the first time: migrations take a lock, but there is no need to queue on it.
    for (const node of nodes) await cluster.startNode(node);
    return cluster;
  }

  /** The addresses of the nodes running now. */
  liveUrls(): string[] {
    return this.nodes.filter((n) => n.server).map((n) => n.url);
  }

  /** Starts a node on its port; retries while what it needs at start (PostgreSQL, Redis) is away. */
  async startNode(node: ClusterNode, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        const server = await spawnServer({ dataDir: this.dataDir, port: node.port, env: this.env });
        node.server = server;
        // A node that dies when no test killed it is a finding: say so, with its last words.
        server.process.once('exit', (code, signal) => {
          if (node.server !== server) return;
          node.server = undefined;
          const { stdout, stderr } = server.output();
          process.stderr.write(
            `node on ${node.port} exited by itself (${code ?? signal}):\n${stdout.slice(-3000)}${stderr.slice(-3000)}\n`,
          );
        });
        return;
      } catch (err) {
        if (Date.now() > deadline) throw err;
        await sleep(300);
      }
    }
  }

  /** Stops a node (kill -9 by default); resolves with its exit code once it is gone. */
  async stopNode(node: ClusterNode, signal: NodeJS.Signals = 'SIGKILL'): Promise<number | null> {
    const server = node.server;
    if (!server) return null;
    // Out of the list first: clients looking for a node skip it from now on.
    node.server = undefined;
    return server.stop(signal);
  }

  async healthy(): Promise<boolean> {
    const answers = await Promise.all(
      this.nodes.map((n) =>
        fetch(`${n.url}/healthz`).then(
          (r) => r.status === 200,
          () => false,
        ),
      ),
    );
    return answers.every(Boolean);
  }

  async stop(): Promise<void> {
    await Promise.all(this.nodes.map((n) => this.stopNode(n)));
    // Already gone (killed from outside): its exit event has passed, and stop() would wait for it forever.
    const redis = (() => {
      try {
        return this.redis.process;
      } catch {
        return undefined;
      }
    })();
    if (redis && redis.exitCode === null && redis.signalCode === null) await this.redis.stop();
    await this.pg.stop('immediate').catch(() => undefined);
  }
}

/** Free ports, all different: each probe stays open until every port is chosen. */
async function distinctPorts(count: number): Promise<number[]> {
  const probes: Server[] = [];
  const ports: number[] = [];
  for (let i = 0; i < count; i++) {
    const probe = createServer();
    await new Promise<void>((resolve, reject) => {
      probe.once('error', reject);
      probe.listen(0, '127.0.0.1', () => resolve());
    });
    probes.push(probe);
    const address = probe.address();
    ports.push(typeof address === 'object' && address ? address.port : 0);
  }
  await Promise.all(probes.map((p) => new Promise((resolve) => p.close(resolve))));
  return ports;
}
