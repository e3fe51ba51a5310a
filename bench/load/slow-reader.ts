import { performance } from 'node:perf_hooks';
import type { BenchClient } from './client.ts';
import { setTextLength } from './client.ts';
import { closeAll, connectMany, connectOne, joinAll } from './connect.ts';
import type { RunContext } from './context.ts';
import { Tracker } from './tracker.ts';

export interface SlowReaderResult {
  scenario: 'slow reader';
  server: 'pockychat';
  fastClients: number;
  messageBytes: number;
  messagesSent: number;
  /** MB the server owed the slow reader by the end (or by the cut-off). */
  owedMB: number;
  rssStartMB: number;
  rssPeakMB: number;
  cutOff: boolean;
  cutOffAfterS: number | undefined;
  fastDeliveryRatio: number;
}

const ROOM = 'slowreader';

/**
 * Target 7: one client joins and then stops reading its socket while the
 * others keep a room busy with large messages. pockychat should cut it off
 * (MAX_BUFFERED_BYTES) rather than buffer for it without bound.
 */
export async function slowReaderScenario(ctx: RunContext): Promise<SlowReaderResult> {
  const { clients: count, textLength, maxMs } = ctx.config.slowReader;
  const server = await ctx.start('pockychat');
  setTextLength(textLength);
  try {
    const tokens = await ctx.tokens(server.url, count + 1);
    const tracker = new Tracker();
    const target = { kind: 'pockychat' as const, urls: [server.url], tokens };
    const { clients } = await connectMany(target, count, tracker);
    const slow = await connectOne(target, count, tracker);
    await joinAll([...clients, slow], () => ROOM);
    slow.pause();
    const rssStart = server.rssBytes();
    let rssPeak = rssStart;
    const t0 = performance.now();
    let cutOffAt: number | undefined;
    let sentAtCutOff = 0;
    let k = 0;
    const send = () => {
      const client = clients[k++ % count] as BenchClient;
      client.send(ROOM, tracker.allocate(client.index, count + 1));
    };
    const running = () =>
      performance.now() - t0 < maxMs && (cutOffAt === undefined || performance.now() - cutOffAt < 500);
    tracker.onEcho = () => {
      if (running()) send();
    };
    for (let i = 0; i < 20; i++) send();
    while (running()) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      rssPeak = Math.max(rssPeak, server.rssBytes());
      // A paused socket does not see its close: the server's own warning says when it cut the reader off.
      if (cutOffAt === undefined && server.output().includes('stopped reading')) {
        cutOffAt = performance.now();
        sentAtCutOff = tracker.next;
      }
    }
    tracker.onEcho = undefined;
    await new Promise((resolve) => setTimeout(resolve, 500));
    const sent = tracker.next;
    let fastGot = 0;
    for (let n = 0; n < sent; n++) fastGot += Math.min(count, tracker.got[n] as number);
    const messageBytes = textLength + 250;
    slow.close();
    closeAll(clients);
    return {
      scenario: 'slow reader',
      server: 'pockychat',
      fastClients: count,
      messageBytes,
      messagesSent: sent,
      owedMB: ((cutOffAt === undefined ? sent : sentAtCutOff) * messageBytes) / 2 ** 20,
      rssStartMB: rssStart / 2 ** 20,
      rssPeakMB: rssPeak / 2 ** 20,
      cutOff: cutOffAt !== undefined,
      cutOffAfterS: cutOffAt === undefined ? undefined : (cutOffAt - t0) / 1000,
      fastDeliveryRatio: fastGot / (sent * count),
    };
  } finally {
    setTextLength(80);
    await server.stop();
  }
}
