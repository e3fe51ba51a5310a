import { closeAll, connectMany } from './connect.ts';
import type { RunContext } from './context.ts';
import { fanoutPhases } from './fanout.ts';
import type { PhaseResult } from './measure.ts';
import { Tracker } from './tracker.ts';

export interface PresenceIdleResult {
  scenario: 'presence-idle';
  presence: 'off' | 'on';
  round: number;
  connections: number;
  rssPerConnectionKB: number;
  heapPerConnectionKB: number;
}

/**
 * Presence's cost (issue 16): pockychat with PRESENCE=0 and PRESENCE=1 in the
 * same round, in alternating order, so drift touches both alike. Idle memory per
 * connection (after a full GC) and the fan-out's CPU per delivery.
 */
export async function presenceScenario(
  ctx: RunContext,
  round: number,
): Promise<{ idle: PresenceIdleResult[]; phases: PhaseResult[] }> {
  const idle: PresenceIdleResult[] = [];
  const phases: PhaseResult[] = [];
  // Off first in odd rounds, on first in even ones: the first server of a round starts on a colder machine.
  const order = round % 2 === 1 ? (['off', 'on'] as const) : (['on', 'off'] as const);
  for (const presence of order) {
    const env = { PRESENCE: presence === 'on' ? '1' : '0' };
    idle.push(await idleWith(ctx, round, presence, env));
    const server = await ctx.start('pockychat', env);
    try {
      const tokens = await ctx.tokens(server.url, ctx.config.guests);
      const results = await fanoutPhases(ctx, {
        servers: [server],
        target: { kind: 'pockychat', urls: [server.url], tokens },
        scenario: 'presence',
        server: `pockychat presence ${presence}`,
        round,
        phases: ['open', 'closed'],
        // --profile: each mode's measured phases, to compare where the time goes.
        profileFile: ctx.profileFile('pockychat', `presence-${presence}-phases-round${round}`),
      });
      phases.push(...results);
    } finally {
      await server.stop();
    }
  }
  return { idle, phases };
}

async function idleWith(
  ctx: RunContext,
  round: number,
  presence: 'off' | 'on',
  env: Record<string, string>,
): Promise<PresenceIdleResult> {
  const count = ctx.config.idle.connections;
  const server = await ctx.start('pockychat', env);
  try {
    const tokens = await ctx.tokens(server.url, ctx.config.guests);
    const before = await server.probe('gc');
    const rssBefore = server.rssBytes();
    const { clients } = await connectMany(
      { kind: 'pockychat', urls: [server.url], tokens },
      count,
      new Tracker(16),
      200,
    );
    await new Promise((resolve) => setTimeout(resolve, 500));
    const after = await server.probe('gc');
    const rssAfter = server.rssBytes();
    closeAll(clients);
    return {
      scenario: 'presence-idle',
      presence,
      round,
      connections: count,
      rssPerConnectionKB: (rssAfter - rssBefore) / count / 1024,
      heapPerConnectionKB: (after.memory.heapUsed - before.memory.heapUsed) / count / 1024,
    };
  } finally {
    await server.stop();
  }
}

/** The table of the presence scenario: off against on, per round, and on ÷ off. */
export function renderPresence(idle: PresenceIdleResult[], phases: PhaseResult[]): string {
  const lines = [
    '## Presence: off against on (pockychat)',
    '',
    '| round | presence | RSS/conn KB | heap/conn KB |',
    '|---|---|---|---|',
  ];
  for (const r of idle) {
    lines.push(
      `| ${r.round} | ${r.presence} | ${r.rssPerConnectionKB.toFixed(2)} | ${r.heapPerConnectionKB.toFixed(2)} |`,
    );
  }
  lines.push(
    '',
    '| round | phase | presence | CPU µs/delivery | deliveries/s | delivery ratio |',
    '|---|---|---|---|---|---|',
  );
  for (const p of phases) {
    lines.push(
      `| ${p.round} | ${p.phase} | ${p.server.replace('pockychat presence ', '')} | ${p.cpuUsPerDelivery.toFixed(2)} | ${p.deliveriesPerS.toFixed(0)} | ${p.deliveryRatio.toFixed(3)} |`,
    );
  }
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  const cpu = (on: boolean) =>
    mean(phases.filter((p) => p.server.endsWith(on ? ' on' : ' off')).map((p) => p.cpuUsPerDelivery));
  const heap = (on: boolean) =>
    mean(idle.filter((r) => r.presence === (on ? 'on' : 'off')).map((r) => r.heapPerConnectionKB));
  const rss = (on: boolean) =>
    mean(idle.filter((r) => r.presence === (on ? 'on' : 'off')).map((r) => r.rssPerConnectionKB));
  lines.push(
    '',
    `on ÷ off: CPU per delivery ${(cpu(true) / cpu(false)).toFixed(3)}×, heap per connection ${(heap(true) / heap(false)).toFixed(3)}×, RSS per connection ${(rss(true) / rss(false)).toFixed(3)}×`,
    '',
  );
  return lines.join('\n');
}
