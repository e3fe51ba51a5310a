import type { applyPalette, GIFEncoder, quantize } from 'gifenc';
import type { EncodeJob } from './encoder-messages.ts';

/** The gifenc functions used; passed in so Node tests can load gifenc's CommonJS build. */
export interface GifLib {
  GIFEncoder: typeof GIFEncoder;
  quantize: typeof quantize;
  applyPalette: typeof applyPalette;
}

/**
 * Encodes frames into one looping GIF. Each frame gets its own 256-colour palette: a webcam
 * picture shifts colour as light and faces move, and one shared palette would band visibly.
 */
export function encodeFrames(lib: GifLib, job: EncodeJob, onProgress: (done: number) => void): Uint8Array {
  const expected = job.width * job.height * 4;
  const gif = lib.GIFEncoder();
  job.frames.forEach((buffer, i) => {
    if (buffer.byteLength !== expected) throw new Error(`frame ${i} has ${buffer.byteLength} bytes, not ${expected}`);
    const rgba = new Uint8Array(buffer);
    const palette = lib.quantize(rgba, 256);
    const index = lib.applyPalette(rgba, palette);
    gif.writeFrame(index, job.width, job.height, { palette, delay: job.delays[i] ?? 100, repeat: 0 });
    onProgress(i + 1);
  });
  gif.finish();
  return gif.bytes();
}
