import type { EncodeJob } from './encoder-messages.ts';
import { captureSize, frameDueAt, GIF_FPS, GIF_MAX_MS, gifDelays, maxFrames } from './frame-plan.ts';

export interface CaptureOptions {
  /** Ends the recording early, keeping the frames taken so far (the Stop button). */
  stop: AbortSignal;
  /** Called after each frame with the time recorded so far, in ms. */
  onFrame?: (elapsedMs: number) => void;
  /** Flip horizontally, so the GIF matches the mirrored preview people see themselves in. */
  mirror?: boolean;
}

/**
 * Samples a playing video into RGBA frames at GIF_FPS for at most GIF_MAX_MS, scaled to at most
 * GIF_MAX_WIDTH wide. Frames are read through one small canvas: drawing scales on the GPU, and
 * only the scaled pixels are copied out.
 */
export async function captureFrames(video: HTMLVideoElement, options: CaptureOptions): Promise<EncodeJob> {
  const { width, height } = captureSize({ width: video.videoWidth, height: video.videoHeight });
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  // willReadFrequently: keeps the canvas in memory, where getImageData is cheap every frame.
  const context = canvas.getContext('2d', { willReadFrequently: true });
  if (!context) throw new Error('This browser cannot draw video frames.');
  if (options.mirror) context.setTransform(-1, 0, 0, 1, width, 0);

  const frames: ArrayBuffer[] = [];
  const takenAt: number[] = [];
  const start = performance.now();
  for (let i = 0; i < maxFrames() && !options.stop.aborted; i++) {
    // Timers drift; each frame is scheduled from the start, so the drift does not add up.
    await sleepUntil(start + frameDueAt(i), options.stop);
    if (options.stop.aborted && frames.length > 0) break;
    context.drawImage(video, 0, 0, width, height);
    frames.push(context.getImageData(0, 0, width, height).data.buffer);
    takenAt.push(performance.now());
    options.onFrame?.(Math.min(GIF_MAX_MS, performance.now() - start));
  }
  return { width, height, frames, delays: gifDelays(takenAt, GIF_FPS) };
}

function sleepUntil(time: number, stop: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, Math.max(0, time - performance.now()));
    stop.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      stop.removeEventListener('abort', done);
      resolve();
    }
  });
}
