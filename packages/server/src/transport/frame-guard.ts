import type { Clock } from '../chat/clock.ts';

/**
 * A fixed-window counter: two numbers, where a sliding window would keep a
 * timestamp per event. Exactness matters for the contract's per-user
 * message limit (chat/rate-limiter.ts), not for these abuse limits, and
 * every connection carries two of them.
 */
class WindowCounter {
  #start = 0;
  #count = 0;
  readonly #limit: number;
  readonly #windowMs: number;

  constructor(limit: number, windowMs: number) {
    this.#limit = limit;
    this.#windowMs = windowMs;
  }

  take(now: number): boolean {
    if (now - this.#start >= this.#windowMs) {
      this.#start = now;
      this.#count = 0;
    }
    return ++this.#count <= this.#limit;
  }
}

/**
 * Per-connection abuse limits, beside the per-user message rate limit:
 * too many frames of any kind are refused, and a connection that keeps
 * sending bad or refused frames is closed.
 */
export class FrameGuard {
  readonly #clock: Clock;
  readonly #frames: WindowCounter;
  readonly #strikes = new WindowCounter(30, 10_000);

  /** `frames` per `windowMs`: ten times the message rate limit, so sends hit that limit first. */
  constructor(clock: Clock, frames: { limit: number; windowMs: number }) {
    this.#clock = clock;
    this.#frames = new WindowCounter(frames.limit, frames.windowMs);
  }

  /** False when this connection sends frames faster than anyone types. */
  admit(): boolean {
    return this.#frames.take(this.#clock.now());
  }

  /** Counts a bad frame; false once there have been too many: time to close. */
  strike(): boolean {
    return this.#strikes.take(this.#clock.now());
  }
}
