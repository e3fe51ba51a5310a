import { performance } from 'node:perf_hooks';
import type { ServerHandle } from '../servers/spawn.ts';
import type { LatencySummary } from '../stats.ts';
import { coreBusyMicros, cpuMicros } from '../proc.ts';
import { SERVER_CORE } from '../servers/spawn.ts';
import type { ScheduleReport } from './loops.ts';
import type { Tracker } from './tracker.ts';

export interface PhaseResult {
  scenario: string;
  phase: string;
  server: string;
  round: number;
  durationS: number;
  messages: number;
  acked: number;
  deliveries: number;
  expectedDeliveries: number;
  /** Deliveries received / deliveries owed (1 = 100%). */
  deliveryRatio: number;
  duplicates: number;
  messagesPerS: number;
  deliveriesPerS: number;
  latencyMs: LatencySummary;
  ackLatencyMs: LatencySummary;
  /** Server CPU (user + system, from /proc) per delivery, in microseconds. */
  cpuUsPerDelivery: number;
  cpuUsPerMessage: number;
  /** Server CPU per acked message: ingest's headline, the server's own cost whatever the load generator manages. */
  cpuUsPerAck: number;
  /**
   * All busy time of the server core per delivery, softirq included (loopback
   * TCP work charged to no process); includes anything else that ran there.
   */
  coreUsPerDelivery: number;
  /** Server CPU time / wall time over the phase. */
  serverCpu: number;
  /** Server event-loop utilisation over the phase (the probe's performance.eventLoopUtilization). */
  serverElu: number;
  serverRssMB: number;
  /** CPU of helper processes (PostgreSQL, Redis) per delivery, when there are some. */
  infraCpuUsPerDelivery?: number;
  loadElu: number;
  scheduleLagP99Ms: number;
  errors: number;
  closes: number;
  warnings: string[];
  /** The conversation scenario: what its operations were. */
  mix?: OperationMix;
}

/** How many of a phase's operations were of each kind; `fallback`: edits or reactions sent as plain messages instead. */
export interface OperationMix {
  send: number;
  edit: number;
  react: number;
  unreact: number;
  fallback: number;
}

export interface PhaseMeta {
  scenario: string;
  phase: string;
  server: string;
  round: number;
  /** Whether every message is owed an ack. */
  acks: boolean;
  drainMs: number;
}

/**
 * Runs one measured phase: snapshots the servers (CPU from /proc, ELU and
 * memory from the probe) and this process's ELU, drives the load, waits for
 * every owed delivery and ack (or the drain timeout), and snapshots again.
 */
export async function measurePhase(
  servers: ServerHandle[],
  tracker: Tracker,
  meta: PhaseMeta,
  drive: () => Promise<ScheduleReport>,
  infraPids: () => number[] = () => [],
): Promise<PhaseResult> {
  const before = await Promise.all(servers.map((s) => s.probe()));
  const cpu0 = servers.map((s) => s.cpuMicros());
  const infra0 = sumCpu(infraPids());
  const core0 = coreBusyMicros(SERVER_CORE);
  const load0 = performance.eventLoopUtilization();
  const errors0 = tracker.errors;
  const closes0 = tracker.closes;
  const t0 = performance.now();
  const phase = tracker.beginPhase();
  const schedule = await drive();
  const sendEnd = performance.now();
  const last = tracker.next;
  const sent = last - phase.first;
  const done = () => phase.delivered >= phase.expected && (!meta.acks || phase.acked >= sent);
  while (!done() && performance.now() - sendEnd < meta.drainMs) await new Promise((r) => setTimeout(r, 5));
  const t1 = done() ? Math.max(phase.lastEvent, sendEnd) : performance.now();
  const cpu1 = servers.map((s) => s.cpuMicros());
  const infra1 = sumCpu(infraPids());
  const core1 = coreBusyMicros(SERVER_CORE);
  const after = await Promise.all(servers.map((s) => s.probe()));
  const load = performance.eventLoopUtilization(performance.eventLoopUtilization(), load0);
  tracker.phase = undefined;

  const wallS = (t1 - t0) / 1000;
  const cpu = cpu1.reduce((a, v, i) => a + v - (cpu0[i] as number), 0);
  const elus = after.map((a, i) => {
    const b = before[i] as (typeof before)[number];
    const active = a.elu.active - b.elu.active;
    return active / (active + a.elu.idle - b.elu.idle);
  });
  const warnings: string[] = [];
  if (load.utilization > 0.9) warnings.push(`load generator saturated (ELU ${(load.utilization * 100).toFixed(0)}%)`);
  if (schedule.lagP99 > 5) warnings.push(`open loop fell behind schedule (p99 lag ${schedule.lagP99.toFixed(1)} ms)`);
  if (!done())
    warnings.push(
      `drain timed out: ${phase.expected - phase.delivered} deliveries, ${sent - phase.acked} acks missing`,
    );
  const serverCpuShare = cpu / 1e6 / wallS / servers.length;
  if (Math.max(...elus) - serverCpuShare > 0.25) {
    warnings.push('server ELU well above its CPU: it waited for its core (other load on the machine, or softirq)');
  }
  const errors = tracker.errors - errors0;
  const closes = tracker.closes - closes0;
  if (errors > 0) warnings.push(`${errors} error frames (${tracker.errorSamples[0] ?? ''})`);
  if (closes > 0) warnings.push(`${closes} connections closed by the server`);
  return {
    scenario: meta.scenario,
    phase: meta.phase,
    server: meta.server,
    round: meta.round,
    durationS: wallS,
    messages: sent,
    acked: phase.acked,
    deliveries: phase.delivered,
    expectedDeliveries: phase.expected,
    deliveryRatio: phase.expected === 0 ? NaN : phase.delivered / phase.expected,
    duplicates: phase.duplicates,
    messagesPerS: sent / wallS,
    deliveriesPerS: phase.delivered / wallS,
    latencyMs: phase.latency.summary(),
    ackLatencyMs: phase.ackLatency.summary(),
    cpuUsPerDelivery: cpu / phase.delivered,
    cpuUsPerMessage: cpu / sent,
    cpuUsPerAck: cpu / phase.acked,
    coreUsPerDelivery: (core1 - core0) / phase.delivered,
    serverCpu: cpu / 1e6 / wallS,
    serverElu: Math.max(...elus),
    serverRssMB: servers.reduce((a, s) => a + s.rssBytes(), 0) / 2 ** 20,
    ...(infraPids().length > 0 && { infraCpuUsPerDelivery: (infra1 - infra0) / phase.delivered }),
    loadElu: load.utilization,
    scheduleLagP99Ms: schedule.lagP99,
    errors,
    closes,
    warnings,
  };
}

function sumCpu(pids: number[]): number {
  let total = 0;
  for (const pid of pids) {
    try {
      total += cpuMicros(pid);
    } catch {
      // A process that ended between the listing and the read.
    }
  }
  return total;
}
