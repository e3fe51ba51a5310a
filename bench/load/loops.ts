import { performance } from 'node:perf_hooks';
import { Samples } from '../stats.ts';

export interface ScheduleReport {
  /** How late the sends went out compared with the schedule (ms). */
  lagP99: number;
  sent: number;
}

/**
 * An open loop: `rate` sends a second for `durationMs`, on a fixed
 * schedule whatever the answers. Latency is measured from the scheduled
 * time, so a stalled generator or server cannot hide its delay.
 */
export function openLoop(
  rate: number,
  durationMs: number,
  send: (scheduledAt: number) => void,
): Promise<ScheduleReport> {
  return new Promise((resolve) => {
    const start = performance.now();
    const end = start + durationMs;
    const interval = 1000 / rate;
    const lags = new Samples();
    let k = 0;
    const timer = setInterval(() => {
      const now = performance.now();
      for (;;) {
        const due = start + k * interval;
        if (due > now || due >= end) break;
        lags.add(now - due);
        send(due);
        k++;
      }
      if (now >= end) {
        clearInterval(timer);
        resolve({ lagP99: lags.percentile(0.99), sent: k });
      }
    }, 1);
  });
}

/** A closed loop: `start` launches the windows; they keep sending on completion until the time is up. */
export function closedLoop(durationMs: number, start: (running: () => boolean) => void): Promise<ScheduleReport> {
  return new Promise((resolve) => {
    const end = performance.now() + durationMs;
    start(() => performance.now() < end);
    setTimeout(() => resolve({ lagP99: NaN, sent: 0 }), durationMs);
  });
}
