import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RateLimiter } from '../src/chat/rate-limiter.ts';

test('the rate limiter allows `limit` events in any sliding window, per key', () => {
  let now = 0;
  const limiter = new RateLimiter({ limit: 3, windowMs: 1000, clock: { now: () => now } });
  const takeAt = (t: number) => {
    now = t;
    return limiter.take('a');
  };
  assert.deepEqual([0, 100, 200, 300].map(takeAt), [true, true, true, false]);
  assert.equal(limiter.take('b'), true, 'keys are independent');
  assert.equal(takeAt(999), false, 'still inside the window of the first event');
  assert.equal(takeAt(1000), true, 'the first event has left the window');
  assert.equal(takeAt(1050), false, 'the events at 100 and 200 and 1000 fill the window');
  assert.equal(takeAt(1100), true);
});
