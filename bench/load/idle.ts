import type { ServerKind } from '../servers/spawn.ts';
import { closeAll, connectMany } from './connect.ts';
import type { RunContext } from './context.ts';
import { Tracker } from './tracker.ts';

export interface IdleResult {
  scenario: 'idle';
  server: string;
  round: number;
  connections: number;
  connectPerS: number;
  /** (RSS after GC with the connections) − (RSS after GC before them), per connection. */
  rssPerConnectionKB: number;
  heapPerConnectionKB: number;
  rssBeforeMB: number;
  rssAfterMB: number;
  closedByServer: number;
}

/** Idle: many open connections doing nothing; memory per connection after a full GC, and the connect rate. */
export async function idleScenario(ctx: RunContext, kind: ServerKind, round: number): Promise<IdleResult> {
  const count = ctx.config.idle.connections;
  const server = await ctx.start(kind);
  try {
    const tokens = kind === 'pockychat' ? await ctx.tokens(server.url, ctx.config.guests) : [];
    const tracker = new Tracker(16);
    const before = await server.probe('gc');
    const rssBefore = server.rssBytes();
    const { clients, perSecond } = await connectMany({ kind, urls: [server.url], tokens }, count, tracker, 200);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const after = await server.probe('gc');
    const rssAfter = server.rssBytes();
    closeAll(clients);
    return {
      scenario: 'idle',
      server: kind,
      round,
      connections: count,
      connectPerS: perSecond,
      rssPerConnectionKB: (rssAfter - rssBefore) / count / 1024,
      heapPerConnectionKB: (after.memory.heapUsed - before.memory.heapUsed) / count / 1024,
      rssBeforeMB: rssBefore / 2 ** 20,
      rssAfterMB: rssAfter / 2 ** 20,
      closedByServer: tracker.closes,
    };
  } finally {
    await server.stop();
  }
}
