import type { Clock } from './clock.ts';

/**
 * At most `limit` events per key in any sliding window of `windowMs`.
 * Keeps the timestamps of the last `limit` events per key, so memory is
 * bounded by keys x limit; idle keys are swept.
 */
export class RateLimiter {
  readonly #limit: number;
  readonly #windowMs: number;
  readonly #clock: Clock;
  readonly #events = new Map<string, number[]>();
  #lastSweep = 0;

  constructor(options: { limit: number; windowMs: number; clock: Clock }) {
    this.#limit = options.limit;
    this.#windowMs = options.windowMs;
    this.#clock = options.clock;
  }

  /** Records an event for key and returns true, or returns false if over the limit. */
  take(key: string): boolean {
    const now = this.#clock.now();
    this.#sweep(now);
    const times = this.#events.get(key) ?? [];
    while (times.length > 0 && (times[0] as number) <= now - this.#windowMs) times.shift();
    if (times.length >= this.#limit) return false;
    times.push(now);
    this.#events.set(key, times);
    return true;
  }

  #sweep(now: number): void {
    if (now - this.#lastSweep < this.#windowMs) return;
    this.#lastSweep = now;
    for (const [key, times] of this.#events) {
      if ((times.at(-1) ?? 0) <= now - this.#windowMs) this.#events.delete(key);
    }
  }
}
