import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { captureSize, frameDueAt, gifDelays, maxFrames } from '../src/gif/frame-plan.ts';
import { cameraErrorMessage } from '../src/gif/camera.ts';
import { encodeFrames, type GifLib } from '../src/gif/encode-frames.ts';

// gifenc's CommonJS build: Node gives an ES import of it only a default export.
const gifenc = createRequire(import.meta.url)('gifenc') as GifLib;

describe('frame plan', () => {
  test('frames keep the camera aspect, at most 320 px wide, never enlarged', () => {
    assert.deepEqual(captureSize({ width: 640, height: 480 }), { width: 320, height: 240 });
    assert.deepEqual(captureSize({ width: 1280, height: 720 }), { width: 320, height: 180 });
    assert.deepEqual(captureSize({ width: 480, height: 640 }), { width: 320, height: 427 });
    assert.deepEqual(captureSize({ width: 160, height: 120 }), { width: 160, height: 120 });
    assert.deepEqual(captureSize({ width: 0, height: 0 }), { width: 320, height: 240 }, 'no metadata yet');
  });

  test('3 s at 10 fps is 30 frames, one every 100 ms from the start', () => {
    assert.equal(maxFrames(), 30);
    assert.equal(maxFrames(3000, 15), 45);
    assert.equal(maxFrames(50, 10), 1, 'always at least one frame');
    assert.deepEqual(
      [0, 1, 2, 29].map((i) => frameDueAt(i)),
      [0, 100, 200, 2900],
    );
  });

  test('delays follow the real capture times, in hundredths, never under 20 ms', () => {
    assert.deepEqual(gifDelays([0, 100, 230, 301]), [100, 130, 70, 100]);
    assert.deepEqual(gifDelays([0, 4, 104]), [20, 100, 100], 'browsers would play < 20 ms as 100 ms');
    assert.deepEqual(gifDelays([]), []);
  });
});

describe('camera errors', () => {
  test('permission, no camera and busy camera each get their own message', () => {
    const named = (name: string) => new DOMException('x', name);
    assert.match(cameraErrorMessage(named('NotAllowedError')), /permission was denied/);
    assert.match(cameraErrorMessage(named('NotFoundError')), /No camera found/);
    assert.match(cameraErrorMessage(named('NotReadableError')), /in use by another app/);
    assert.match(cameraErrorMessage(new Error('?')), /could not be opened/);
    assert.match(cameraErrorMessage('not an error'), /could not be opened/);
  });
});

describe('GIF encoding', () => {
  test('frames become one looping GIF89a of the right size', () => {
    const width = 8;
    const height = 6;
    const frame = (r: number) => new Uint8Array(width * height * 4).map((_, i) => (i % 4 === 0 ? r : 255)).buffer;
    const seen: number[] = [];
    const gif = encodeFrames(gifenc, { width, height, frames: [frame(0), frame(255)], delays: [100, 100] }, (done) =>
      seen.push(done),
    );
    assert.equal(Buffer.from(gif.subarray(0, 6)).toString('latin1'), 'GIF89a');
    assert.equal(gif[6]! | (gif[7]! << 8), width, 'logical screen width');
    assert.equal(gif[8]! | (gif[9]! << 8), height, 'logical screen height');
    assert.ok(Buffer.from(gif).includes('NETSCAPE2.0'), 'loops');
    assert.equal(gif.at(-1), 0x3b, 'ends with the trailer');
    assert.deepEqual(seen, [1, 2]);
  });

  test('a frame of the wrong size is refused rather than encoded as noise', () => {
    assert.throws(
      () =>
        encodeFrames(gifenc, { width: 4, height: 4, frames: [new ArrayBuffer(10)], delays: [100] }, () => undefined),
      /frame 0 has 10 bytes/,
    );
  });
});
