import type { Clock } from '../chat/clock.ts';
import { RateLimiter } from '../chat/rate-limiter.ts';

/**
 * Per-connection abuse limits, beside the per-user message rate limit:
 * too many frames of any kind are refused, and a connection that keeps
 * sending bad or refused frames is closed.
 */
export class FrameGuard {
  readonly #frames: RateLimiter;
  readonly #strikes: RateLimiter;

  /** `frames` per `windowMs`: ten times the message rate limit, so sends hit that limit first. */
  constructor(clock: Clock, frames: { limit: number; windowMs: number }) {
    this.#frames = new RateLimiter({ ...frames, clock });
    this.#strikes = new RateLimiter({ limit: 30, windowMs: 10_000, clock });
  }

  /** False when this connection sends frames faster than anyone types. */
  admit(): boolean {
    return this.#frames.take('');
  }

  /** Counts a bad frame; false once there have been too many: time to close. */
  strike(): boolean {
    return this.#strikes.take('');
  }
}
