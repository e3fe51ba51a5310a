import { performance } from 'node:perf_hooks';
import type { BenchClient } from './client.ts';
import { connectMany, joinAll, type Target } from './connect.ts';
import type { RunContext } from './context.ts';
import type { PhaseMeta } from './measure.ts';
import type { Tracker } from './tracker.ts';

/** What a load driver (fan-out, ingest) is told about the run its phases belong to. */
export interface DriverRun {
  target: Target;
  scenario: string;
  server: string;
  round: number;
}

/** Connects `count` clients, joins each to `roomOf` its index, and logs how long that took. */
export async function connectAndJoin(
  ctx: RunContext,
  target: Target,
  count: number,
  tracker: Tracker,
  roomOf: (index: number) => string,
): Promise<BenchClient[]> {
  const t0 = performance.now();
  const { clients } = await connectMany(target, count, tracker);
  await joinAll(clients, roomOf);
  ctx.log(`  ${count} clients connected and joined in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return clients;
}

/** The labels of a measured phase of this run: every message is owed an ack. */
export function phaseMeta(ctx: RunContext, run: DriverRun): (phase: string) => PhaseMeta {
  return (phase) => ({
    scenario: run.scenario,
    phase,
    server: run.server,
    round: run.round,
    acks: true,
    drainMs: ctx.config.drainMs,
  });
}
