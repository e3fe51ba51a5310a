import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { RunContext, configFor } from './load/context.ts';
import { conversationScenario } from './load/conversation.ts';
import { fanoutScenario } from './load/fanout.ts';
import { historyScenario } from './load/history.ts';
import { searchScenario, type SearchResult } from './load/search.ts';
import { idleScenario } from './load/idle.ts';
import { ingestScenario } from './load/ingest.ts';
import { multinodeScenario } from './load/multinode.ts';
import { slowReaderScenario } from './load/slow-reader.ts';
import type { PhaseResult } from './load/measure.ts';
import type { HistoryResult } from './load/history.ts';
import type { IdleResult } from './load/idle.ts';
import type { SlowReaderResult } from './load/slow-reader.ts';
import { hasTaskset, pin } from './proc.ts';
import { conversationRatios, render, ratios, targets, type BenchResults } from './report.ts';
import { LOAD_CORE, type ServerKind } from './servers/spawn.ts';
import { summarizeProfile, renderProfile } from './profile-summary.ts';

/**
 * npm run bench [-- --quick] [--json] [--scenario=fanout,conversation,ingest,...] [--profile] [--servers=ws,socketio,pockychat]
 *
 * Servers under test run on core 0, this load generator on core 1. Each
 * scenario runs its rounds interleaved, ws → Socket.IO → pockychat, so that
 * drift on the machine touches all three alike.
 */

const SCENARIOS = [
  'fanout',
  'conversation',
  'ingest',
  'idle',
  'history',
  'search',
  'multinode',
  'slow-reader',
] as const;
type Scenario = (typeof SCENARIOS)[number];
const KINDS: ServerKind[] = ['ws', 'socketio', 'pockychat'];

const root = path.resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);
const flag = (name: string) => args.includes(`--${name}`);
const option = (name: string) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);

/** Re-runs this script with the open-files limit raised (where allowed) and on the load generator's core. */
function reexecIfNeeded(): boolean {
  if (process.env.POCKY_BENCH_CHILD) return false;
  const shell = 'ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"; exec "$@"';
  const command = [process.execPath, ...process.execArgv, import.meta.filename, ...args];
  const argv = hasTaskset()
    ? ['taskset', '-c', String(LOAD_CORE), 'bash', '-c', shell, 'bash', ...command]
    : ['bash', '-c', shell, 'bash', ...command];
  const result = spawnSync(argv[0] as string, argv.slice(1), {
    stdio: 'inherit',
    env: { ...process.env, POCKY_BENCH_CHILD: '1' },
  });
  process.exitCode = result.status ?? 1;
  return true;
}

async function main(): Promise<void> {
  const quick = flag('quick');
  const json = flag('json');
  const profile = flag('profile');
  const chosen = (option('scenario')?.split(',') ?? [...SCENARIOS]) as Scenario[];
  // Only for experiments: ratios need all three servers.
  const kinds = (option('servers')?.split(',') ?? [...KINDS]) as ServerKind[];
  for (const s of chosen)
    if (!SCENARIOS.includes(s)) throw new Error(`unknown scenario ${s}; one of ${SCENARIOS.join(', ')}`);
  const resultsDir = path.join(root, 'bench/results');
  mkdirSync(resultsDir, { recursive: true });
  const config = configFor(quick, resultsDir, profile);
  if (profile && config.profileDir) {
    rmSync(config.profileDir, { recursive: true, force: true });
    mkdirSync(config.profileDir, { recursive: true });
  }
  const ctx = new RunContext(config);
  const pinned = pin(process.pid, LOAD_CORE);
  const openFiles = execFileSync('bash', ['-c', 'ulimit -n']).toString().trim();
  const t0 = performance.now();

  const phases: PhaseResult[] = [];
  const idle: IdleResult[] = [];
  const history: HistoryResult[] = [];
  const search: SearchResult[] = [];
  const slowReader: SlowReaderResult[] = [];
  const interleaved = async (
    name: string,
    rounds: number,
    run: (kind: ServerKind, round: number) => Promise<void>,
    servers = kinds,
  ) => {
    for (let round = 1; round <= rounds; round++) {
      for (const kind of servers) {
        ctx.log(`${name}: round ${round}, ${kind}`);
        await run(kind, round);
      }
    }
  };
  try {
    for (const scenario of chosen) {
      const started = performance.now();
      switch (scenario) {
        case 'fanout':
          await interleaved('fanout', config.rounds, async (kind, round) => {
            phases.push(...(await fanoutScenario(ctx, kind, round, profile)));
          });
          break;
        case 'conversation':
          // pockychat only: ws and Socket.IO have no edits or reactions; its ratio is mixed ÷ plain in one round.
          await interleaved(
            'conversation',
            config.rounds,
            async (kind, round) => {
              phases.push(...(await conversationScenario(ctx, kind, round, profile)));
            },
            kinds.filter((kind) => kind === 'pockychat'),
          );
          break;
        case 'ingest':
          await interleaved('ingest', config.rounds, async (kind, round) => {
            phases.push(...(await ingestScenario(ctx, kind, round, profile)));
          });
          break;
        case 'idle':
          // Bare Primus too: the floor under pockychat's transport.
          await interleaved(
            'idle',
            1,
            async (kind, round) => {
              idle.push(await idleScenario(ctx, kind, round));
            },
            option('servers') ? kinds : [...kinds, 'primus'],
          );
          break;
        case 'history':
          history.push(await historyScenario(ctx));
          break;
        case 'search': {
          // --search-db=sqlite or postgres: one database only (both by default).
          const db = option('search-db');
          search.push(
            ...(await searchScenario(ctx, db === 'sqlite' || db === 'postgres' ? [db] : ['sqlite', 'postgres'])),
          );
          break;
        }
        case 'multinode':
          phases.push(...(await multinodeScenario(ctx)));
          break;
        case 'slow-reader':
          slowReader.push(await slowReaderScenario(ctx));
          break;
      }
      ctx.log(`${scenario}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
    }
  } finally {
    rmSync(ctx.tmpDir, { recursive: true, force: true });
  }

  const partial = {
    machine: { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, node: process.version, pinned, openFiles },
    config,
    phases,
    idle,
    history,
    search,
    slowReader,
    ratios: ratios(phases),
    conversation: conversationRatios(phases),
  };
  const results: BenchResults = {
    ...partial,
    targets: targets(partial, Math.max(...config.fanout.rates)),
    seconds: (performance.now() - t0) / 1000,
  };
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  writeFileSync(path.join(resultsDir, `bench-${stamp}.json`), JSON.stringify(results, null, 2));
  let text = render(results);
  if (profile && config.profileDir) {
    for (const file of readdirSync(config.profileDir).filter((f) => f.endsWith('.cpuprofile'))) {
      const summary = summarizeProfile(JSON.parse(readFileSync(path.join(config.profileDir, file), 'utf8')));
      const what = file.startsWith('CPU.')
        ? 'pockychat, whole process life (--cpu-prof), set-up included'
        : 'measured phases only';
      text += `\n## CPU profile: ${file} (${what})\n\n${renderProfile(summary, 15)}\n`;
    }
  }
  writeFileSync(path.join(resultsDir, `bench-${stamp}.md`), text);
  process.stdout.write(json ? `${JSON.stringify(results, null, 2)}\n` : text);
}

if (!reexecIfNeeded()) await main();
