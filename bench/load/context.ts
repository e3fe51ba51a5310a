import { performance } from 'node:perf_hooks';
import { mkdirSync, mkdtempSync } from 'node:fs';
import path from 'node:path';
import { startServer, type ServerHandle, type ServerKind } from '../servers/spawn.ts';
import type { Target } from './connect.ts';
import { createGuests } from './guests.ts';

export interface BenchConfig {
  quick: boolean;
  rounds: number;
  /** Closed-loop phases; open-loop phases of the fan-out take `openPhaseMs`. */
  phaseMs: number;
  openPhaseMs: number;
  warmupMs: number;
  drainMs: number;
  fanout: { clients: number; senders: number; rates: number[] };
  /** `openRate` caps the open loop, which runs at half the capacity the closed loop just measured. */
  ingest: { clients: number; roomSize: number; openRate: number };
  /** Guest accounts on the shared DATA_DIR; connections beyond that share them. */
  guests: number;
  idle: { connections: number };
  /** `warmup` pages are fetched before the measured ones: V8 must be done compiling the request path. */
  history: { messages: number; queries: number; warmup: number };
  /** `queries` rounds of the whole query mix (bench/search/corpus.ts), after `warmup` unmeasured queries. */
  search: { messages: number; queries: number; warmup: number };
  slowReader: { clients: number; textLength: number; maxMs: number };
  profileDir: string | undefined;
  resultsDir: string;
}

export function configFor(quick: boolean, resultsDir: string, profile: boolean): BenchConfig {
  return {
    quick,
    rounds: quick || profile ? 1 : 2,
    phaseMs: quick ? 1000 : 1500,
    openPhaseMs: quick ? 1000 : 1600,
    warmupMs: quick ? 300 : 500,
    drainMs: quick ? 2000 : 3000,
    fanout: quick ? { clients: 100, senders: 5, rates: [50, 100] } : { clients: 500, senders: 20, rates: [50, 100] },
    ingest: quick ? { clients: 100, roomSize: 10, openRate: 1000 } : { clients: 1000, roomSize: 10, openRate: 10_000 },
    idle: { connections: quick ? 1000 : 10_000 },
    guests: quick ? 100 : 500,
    history: quick
      ? { messages: 20_000, queries: 200, warmup: 200 }
      : { messages: 1_000_000, queries: 1000, warmup: 4000 },
    search: quick ? { messages: 20_000, queries: 25, warmup: 100 } : { messages: 1_000_000, queries: 100, warmup: 400 },
    slowReader: quick ? { clients: 10, textLength: 3900, maxMs: 3000 } : { clients: 10, textLength: 3900, maxMs: 8000 },
    profileDir: profile ? path.join(resultsDir, 'profiles') : undefined,
    resultsDir,
  };
}

/** What a scenario's phases need to know of the one server they run against. */
export interface OneServerRun {
  servers: ServerHandle[];
  target: Target;
  scenario: string;
  server: string;
  round: number;
  profileFile: string | undefined;
}

/**
 * State shared by a run: one pockychat DATA_DIR (SQLite) for the scenarios
 * that need no special data, and the guest tokens created on it, so that
 * later rounds reconnect as the same users instead of signing up again.
 */
export class RunContext {
  readonly config: BenchConfig;
  readonly pockyDataDir: string;
  readonly tmpDir: string;
  #tokens: string[] = [];

  constructor(config: BenchConfig) {
    this.config = config;
    this.tmpDir = path.join(config.resultsDir, 'tmp');
    mkdirSync(this.tmpDir, { recursive: true });
    this.pockyDataDir = mkdtempSync(path.join(this.tmpDir, 'pockychat-'));
  }

  log(line: string): void {
    process.stderr.write(`${line}\n`);
  }

  /** Starts one server of a kind; pockychat on the run's shared DATA_DIR unless told otherwise. */
  start(kind: ServerKind, env: Record<string, string> = {}, profile = false): Promise<ServerHandle> {
    return startServer({
      kind,
      env: kind === 'pockychat' ? { DATA_DIR: this.pockyDataDir, ...env } : env,
      ...(profile && this.config.profileDir && kind === 'pockychat' && { profileDir: this.config.profileDir }),
    });
  }

  /**
   * Starts one server of a kind (pockychat with the run's guest tokens), runs
   * a scenario's phases against it and stops it, whatever happens. With
   * --profile, the phases are profiled into `<kind>-<scenario>-phases-round<n>`.
   */
  async onOneServer<T>(
    kind: ServerKind,
    scenario: string,
    round: number,
    profile: { phases: boolean; wholeLife: boolean },
    work: (run: OneServerRun) => Promise<T>,
  ): Promise<T> {
    const server = await this.start(kind, {}, profile.wholeLife);
    try {
      const tokens = kind === 'pockychat' ? await this.tokens(server.url, this.config.guests) : [];
      return await work({
        servers: [server],
        target: { kind, urls: [server.url], tokens },
        scenario,
        server: kind,
        round,
        profileFile: profile.phases ? this.profileFile(kind, `${scenario}-phases-round${round}`) : undefined,
      });
    } finally {
      await server.stop();
    }
  }

  /** Where to write a windowed profile of a server in a scenario, when --profile is on. */
  profileFile(kind: ServerKind, name: string): string | undefined {
    return this.config.profileDir ? path.join(this.config.profileDir, `${kind}-${name}.cpuprofile`) : undefined;
  }

  /** At least `count` guest tokens on the shared DATA_DIR, created through the server at `url` when missing. */
  async tokens(url: string, count: number): Promise<string[]> {
    if (this.#tokens.length < count) {
      const t0 = performance.now();
      const more = await createGuests(url, count - this.#tokens.length);
      this.#tokens.push(...more);
      this.log(`  ${more.length} guests signed up in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    }
    return this.#tokens;
  }
}
