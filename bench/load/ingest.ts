import type { ServerHandle, ServerKind } from '../servers/spawn.ts';
import type { BenchClient } from './client.ts';
import { closeAll, type Target } from './connect.ts';
import { connectAndJoin, phaseMeta } from './driver.ts';
import type { RunContext } from './context.ts';
import { closedLoop, openLoop } from './loops.ts';
import { measurePhase, type PhaseResult } from './measure.ts';
import { Tracker } from './tracker.ts';

/** The open-loop phase's name: its rate is in the results' msg/s. */
export const OPEN_HALF = 'open ½ capacity';

export interface IngestRun {
  servers: ServerHandle[];
  target: Target;
  scenario: string;
  server: string;
  round: number;
  phases: Array<'closed' | 'open'>;
  /** Clients (default: the configured ones). */
  clients?: number;
  infraPids?: () => number[];
  /** Profile the first server over the measured phases, into this file. */
  profileFile?: string;
}

/**
 * Ingest: small rooms, every client a sender. A closed loop (each client
 * sends its next message when the previous one is acked: for pockychat,
 * after it is committed) gives the capacity; an open loop at half the
 * target rate gives the latency there.
 */
export async function ingestPhases(ctx: RunContext, run: IngestRun): Promise<PhaseResult[]> {
  const { roomSize, openRate } = ctx.config.ingest;
  const count = run.clients ?? ctx.config.ingest.clients;
  const tracker = new Tracker();
  const roomOf = (i: number) => `ingest${Math.floor(i / roomSize)}`;
  const sizeOf = (i: number) => Math.min(roomSize, count - Math.floor(i / roomSize) * roomSize);
  const clients = await connectAndJoin(ctx, run.target, count, tracker, roomOf);
  const send = (client: BenchClient, at?: number) =>
    client.send(roomOf(client.index), tracker.allocate(client.index, sizeOf(client.index), at));
  const meta = phaseMeta(ctx, run);
  const openSend = () => {
    let k = 0;
    return (at: number) => send(clients[k++ % count] as BenchClient, at);
  };
  // Warm-up: a short closed loop, which cannot overload a slow server the way a fixed rate would.
  let warming = true;
  tracker.onAck = (_n, client) => {
    if (warming) send(client);
  };
  for (const client of clients) send(client);
  await new Promise((resolve) => setTimeout(resolve, ctx.config.warmupMs));
  warming = false;
  tracker.onAck = undefined;
  await tracker.settle(ctx.config.drainMs);
  const results: PhaseResult[] = [];
  let rate = openRate;
  if (run.profileFile) await run.servers[0]?.probe('profile-start');
  if (run.phases.includes('closed')) {
    let running = () => false;
    tracker.onAck = (_n, client) => {
      if (running()) send(client);
    };
    results.push(
      await measurePhase(
        run.servers,
        tracker,
        meta(`closed ${count} in flight`),
        () =>
          closedLoop(ctx.config.phaseMs, (isRunning) => {
            running = isRunning;
            for (const client of clients) send(client);
          }),
        run.infraPids,
      ),
    );
    tracker.onAck = undefined;
    const capacity = results[results.length - 1] as PhaseResult;
    // Half of what this server just sustained (capped): its latency there, not in overload.
    rate = Math.min(openRate, Math.round(capacity.acked / capacity.durationS / 2));
    await tracker.settle(ctx.config.drainMs);
  }
  if (run.phases.includes('open')) {
    results.push(
      await measurePhase(
        run.servers,
        tracker,
        meta(OPEN_HALF),
        () => openLoop(rate, ctx.config.phaseMs, openSend()),
        run.infraPids,
      ),
    );
  }
  if (run.profileFile) await run.servers[0]?.probe('profile-stop', run.profileFile);
  closeAll(clients);
  return results;
}

export function ingestScenario(
  ctx: RunContext,
  kind: ServerKind,
  round: number,
  profile = false,
): Promise<PhaseResult[]> {
  return ctx.onOneServer(kind, 'ingest', round, { phases: profile, wholeLife: false }, (run) =>
    ingestPhases(ctx, { ...run, phases: ['closed', 'open'] }),
  );
}
