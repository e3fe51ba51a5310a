import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pin, spawningOn } from '../proc.ts';
import { LOAD_CORE, SERVER_CORE, type ServerHandle } from '../servers/spawn.ts';
import type { RunContext } from './context.ts';
import { fanoutPhases } from './fanout.ts';
import { createGuests } from './guests.ts';
import { ingestPhases } from './ingest.ts';
import type { PhaseResult } from './measure.ts';

/** The pids of a process and of its children (PostgreSQL's postmaster and its backends). */
export function processTree(root: number): number[] {
  const pids = [root];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === root) pids.push(Number(entry));
    } catch {
      // Gone meanwhile.
    }
  }
  return pids;
}

/** The PostgreSQL postmaster listening on `port`, found by its command line. */
export function postmasterOf(port: number): number | undefined {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const argv = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (argv[0]?.endsWith('/postgres') && argv.includes('-p') && argv[argv.indexOf('-p') + 1] === String(port)) {
        return Number(entry);
      }
    } catch {
      // Gone meanwhile.
    }
  }
  return undefined;
}

/**
 * Multi-node: pockychat on PostgreSQL, one node alone, then two nodes with
 * Redis fan-out, clients spread over the nodes (so each room has members on
 * both). Every server process (nodes, PostgreSQL, Redis) shares the server
 * core: on two cores, this measures what Redis fan-out costs, not scaling.
 */
export async function multinodeScenario(ctx: RunContext): Promise<PhaseResult[]> {
  const services = await import('../../packages/server/test/helpers/services.ts');
  ctx.log('multinode: starting PostgreSQL and Redis');
  const { pg, redis } = await spawningOn(SERVER_CORE, LOAD_CORE, async () => ({
    pg: await services.startPostgres(),
    redis: await services.startRedis(),
  }));
  const postmaster = postmasterOf(pg.port);
  if (postmaster !== undefined) for (const pid of processTree(postmaster)) pin(pid, SERVER_CORE);
  pin(redis.process.pid as number, SERVER_CORE);
  const infraPids = () => [...(postmaster === undefined ? [] : processTree(postmaster)), redis.process.pid as number];
  const dataDir = mkdtempSync(path.join(ctx.tmpDir, 'multinode-'));
  const results: PhaseResult[] = [];
  let tokens: string[] = [];
  try {
    // Rounds as elsewhere (1 2 1 2): PostgreSQL's own background work (WAL,
    // checkpoints) moves single runs by up to 2x on a shared core.
    for (let round = 1; round <= ctx.config.rounds; round++) {
      for (const nodes of [1, 2]) {
        const env: Record<string, string> = { DATA_DIR: dataDir, DATABASE_URL: pg.url };
        if (nodes === 2) env.REDIS_URL = redis.url;
        const servers: ServerHandle[] = [];
        try {
          // Nodes start (and stop) side by side: a second or two less of the 3-minute budget per round.
          const started = await Promise.allSettled(Array.from({ length: nodes }, () => ctx.start('pockychat', env)));
          for (const outcome of started) if (outcome.status === 'fulfilled') servers.push(outcome.value);
          const failed = started.find((outcome) => outcome.status === 'rejected');
          if (failed) throw failed.reason;
          const first = servers[0] as ServerHandle;
          if (tokens.length === 0) tokens = await createGuests(first.url, ctx.config.guests);
          const target = { kind: 'pockychat' as const, urls: servers.map((s) => s.url), tokens };
          const server = nodes === 1 ? 'pockychat 1 node (pg)' : 'pockychat 2 nodes (pg+redis)';
          const common = { servers, target, server, round, infraPids };
          results.push(
            ...(await fanoutPhases(ctx, {
              ...common,
              scenario: 'multinode fanout',
              phases: ['open'],
              rates: [Math.max(...ctx.config.fanout.rates)],
              // Only latency and delivery are read here (target 6 is the small-room loop): the short phase keeps the run under 3 minutes.
              openMs: ctx.config.quick ? ctx.config.openPhaseMs : 1200,
            })),
          );
          // Half the ingest scenario's clients: PostgreSQL commits are slower, and the ratio is what counts.
          const clients = Math.ceil(ctx.config.ingest.clients / 2);
          results.push(
            ...(await ingestPhases(ctx, { ...common, scenario: 'multinode small rooms', phases: ['closed'], clients })),
          );
        } finally {
          await Promise.all(servers.map((server) => server.stop()));
        }
      }
    }
  } finally {
    await pg.stop('immediate').catch(() => undefined);
    await redis.stop();
  }
  return results;
}
