import { performance } from 'node:perf_hooks';
import type { Logger } from 'pino';
import type { SearchStore } from '../chat/ports/search-store.ts';

export interface LiveIndexingOptions {
  /** How often the pending count and the event loop's load are looked at. */
  tickMs: number;
  /** Messages per transaction: about 2 ms of the event loop on SQLite, what a send may wait behind. */
  batch: number;
  /** Above this share of the event loop taken by other work (sends), indexing waits… */
  busyShare: number;
  /** …unless more than this many are pending: the tail every search reads stays short (20,000: about 20 ms). */
  maxPending: number;
  /** Tests: index only when drain() is called. */
  paused: boolean;
}

export const liveIndexingDefaults: LiveIndexingOptions = {
  tickMs: 100,
  batch: 50,
  busyShare: 0.5,
  maxPending: 20_000,
  paused: false,
};

/** The share of a tick a catch-up may take (the rest waits for the next tick). */
const DUTY = 0.3;

/** A catch-up of at least this many messages is logged, with its duration. */
const LOG_FROM = 10_000;

export interface LiveIndexing {
  /** Indexes every pending message now, busy or not (tests, the bench). */
  drain(): Promise<void>;
  /** Stops after the batch under way. */
  stop(): Promise<void>;
}

/**
 * Indexes the messages stored since the index last caught up (SQLite's
 * pending tail: searches scan it meanwhile), off the send path: when the
 * event loop is mostly idle, all of them, a batch per transaction with
 * sends let through between batches; while sends keep it busy, only what
 * is over maxPending, so that the cost comes a little at every tick, as the
 * messages do, and not in one long catch-up.
 */
export function startLiveIndexing(
  store: SearchStore,
  log: Logger,
  options: Partial<LiveIndexingOptions> = {},
): LiveIndexing {
  const { tickMs, batch, busyShare, maxPending, paused } = { ...liveIndexingDefaults, ...options };
  let stopping = false;
  let running: Promise<void> | undefined;
  let lastLoad = performance.eventLoopUtilization();
  let load = 0;
  // A window in which this indexer ran says nothing of the sends: its load is not taken.
  let indexedInWindow = false;

  // A long catch-up spans ticks: logged once as it starts, once as it ends.
  let longCatchUp: { started: number } | undefined;

  async function catchUp(downTo: number, forMs = Infinity): Promise<void> {
    let pending = await store.pendingCount();
    const started = performance.now();
    if (!longCatchUp && pending - downTo >= LOG_FROM) {
      longCatchUp = { started };
      log.info({ pending }, 'search: indexing new messages');
    }
    while (!stopping && pending > downTo && performance.now() - started < forMs) {
      const taken = await store.indexPending(Math.min(batch, pending - downTo));
      indexedInWindow = true;
      if (taken === 0) break;
      pending -= taken;
      // Sends and requests that came meanwhile go before the next batch.
      await new Promise((resolve) => setImmediate(resolve));
    }
    if (longCatchUp && pending <= downTo) {
      log.info({ pending, ms: Math.round(performance.now() - longCatchUp.started) }, 'search: new messages indexed');
      longCatchUp = undefined;
    }
  }

  /** The share of the event loop other work took since the last tick, or as last measured. */
  function othersLoad(): number {
    const now = performance.eventLoopUtilization();
    if (!indexedInWindow) load = performance.eventLoopUtilization(now, lastLoad).utilization;
    lastLoad = now;
    indexedInWindow = false;
    return load;
  }

  async function tick(): Promise<void> {
    const busy = othersLoad() >= busyShare;
    const pending = await store.pendingCount();
    if (pending === 0) return;
    // At most a share of each tick, so that sends keep the rest of the core; far behind, all it takes.
    const forMs = pending > 2 * maxPending ? Infinity : tickMs * DUTY;
    if (!busy) await catchUp(0, forMs);
    else if (pending > maxPending) await catchUp(maxPending, forMs);
  }

  /** One catch-up at a time: a tick while one runs is skipped. */
  function run(work: () => Promise<void>): Promise<void> {
    running ??= work()
      .catch((err: unknown) => {
        if (!stopping) log.error({ err: (err as Error).message }, 'search: indexing new messages failed');
      })
      .finally(() => (running = undefined));
    return running;
  }

  const timer = paused ? undefined : setInterval(() => void run(tick), tickMs);
  timer?.unref();
  return {
    async drain() {
      // Until none is pending, or a round takes none (a failing store: its error is logged).
      let before = Infinity;
      for (let pending = await store.pendingCount(); !stopping && pending > 0 && pending < before;) {
        before = pending;
        await running;
        await run(() => catchUp(0));
        pending = await store.pendingCount();
      }
    },
    async stop() {
      stopping = true;
      if (timer) clearInterval(timer);
      await running;
    },
  };
}
