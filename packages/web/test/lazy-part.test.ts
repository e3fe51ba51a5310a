import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ChunkLoadError, lazyPart } from '../src/components/lazy-part.ts';

test('a preload that failed (a dropped connection) is not kept: the next one fetches again', async () => {
  const Part = () => null;
  let fetches = 0;
  const part = lazyPart(async () => {
    if (++fetches === 1) throw new TypeError('Failed to fetch dynamically imported module');
    return Part;
  });
  await assert.rejects(part.preload(), ChunkLoadError);
  assert.equal(await part.preload(), Part);
  assert.equal(await part.preload(), Part, 'once there, kept');
  assert.equal(fetches, 2);
});
