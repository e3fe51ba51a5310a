import type { ServerHandle, ServerKind } from '../servers/spawn.ts';
import type { BenchClient } from './client.ts';
import { closeAll, type Target } from './connect.ts';
import { connectAndJoin, phaseMeta } from './driver.ts';
import type { RunContext } from './context.ts';
import { closedLoop, openLoop } from './loops.ts';
import { measurePhase, type PhaseResult } from './measure.ts';
import { Tracker } from './tracker.ts';

export const FANOUT_ROOM = 'fanout';

export interface FanoutRun {
  servers: ServerHandle[];
  target: Target;
  scenario: string;
  server: string;
  round: number;
  phases: Array<'open' | 'closed'>;
  /** Open-loop rates, messages/s (default: the configured ones). */
  rates?: number[];
  /** How long each open-loop rate runs (default: the configured openPhaseMs). */
  openMs?: number;
  infraPids?: () => number[];
  /** Profile the first server over the measured phases, into this file. */
  profileFile?: string;
}

/**
 * Fan-out: every client in one room; a fixed set of senders on an open loop
 * at each rate, then a closed loop of `senders` messages in flight, each next
 * one sent from the next connection in turn (pockychat refuses more than 20
 * frames/s from one connection, an abuse limit this scenario is not about).
 */
export async function fanoutPhases(ctx: RunContext, run: FanoutRun): Promise<PhaseResult[]> {
  const { clients: count, senders } = ctx.config.fanout;
  const rates = run.rates ?? ctx.config.fanout.rates;
  const tracker = new Tracker();
  const clients = await connectAndJoin(ctx, run.target, count, tracker, () => FANOUT_ROOM);
  const results: PhaseResult[] = [];
  const meta = phaseMeta(ctx, run);
  const openSend = (k: { i: number }) => (at: number) => {
    const client = clients[k.i++ % senders] as BenchClient;
    client.send(FANOUT_ROOM, tracker.allocate(client.index, count, at));
  };

  // The closed loop, each slot's next message sent when its previous one came back.
  const turns = new Int32Array(senders);
  let running = () => false;
  const sendFrom = (slot: number) => {
    const client = clients[(slot + senders * turns[slot]!++) % count] as BenchClient;
    const n = tracker.allocate(client.index, count);
    tracker.tag[n] = slot;
    client.send(FANOUT_ROOM, n);
  };
  const closed = (ms: number) =>
    closedLoop(ms, (isRunning) => {
      running = isRunning;
      for (let slot = 0; slot < senders; slot++) sendFrom(slot);
    });
  tracker.onEcho = (n) => {
    if (running()) sendFrom(tracker.tag[n] as number);
  };

  // Warm-up: a closed loop puts as many messages through each server as it
  // can take in the time (for pockychat, a few hundred: V8 compiles its
  // longer path before the measured phases, as in a server that has run a while).
  await closed(ctx.config.warmupMs);
  await tracker.settle(ctx.config.drainMs);
  if (run.profileFile) await run.servers[0]?.probe('profile-start');
  if (run.phases.includes('open')) {
    for (const rate of rates) {
      results.push(
        await measurePhase(
          run.servers,
          tracker,
          meta(`open ${rate} msg/s`),
          () => openLoop(rate, run.openMs ?? ctx.config.openPhaseMs, openSend({ i: 0 })),
          run.infraPids,
        ),
      );
    }
  }
  if (run.phases.includes('closed')) {
    results.push(
      await measurePhase(
        run.servers,
        tracker,
        meta(`closed ${senders} in flight`),
        () => closed(ctx.config.phaseMs),
        run.infraPids,
      ),
    );
  }
  tracker.onEcho = undefined;
  if (run.profileFile) await run.servers[0]?.probe('profile-stop', run.profileFile);
  closeAll(clients);
  return results;
}

export function fanoutScenario(
  ctx: RunContext,
  kind: ServerKind,
  round: number,
  profile = false,
): Promise<PhaseResult[]> {
  return ctx.onOneServer(kind, 'fanout', round, { phases: profile, wholeLife: profile }, (run) =>
    fanoutPhases(ctx, { ...run, phases: ['open', 'closed'] }),
  );
}
