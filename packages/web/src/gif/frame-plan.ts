/** How a recording is sampled: the numbers shared by capture, encoding and the UI. */
export const GIF_FPS = 10;
export const GIF_MAX_MS = 3000;
export const GIF_MAX_WIDTH = 320;
export const COUNTDOWN_FROM = 3;

// Browsers show GIF delays under 20 ms as 100 ms (a relic of old animated banners), and the
// format counts in hundredths of a second.
const MIN_DELAY_MS = 20;

export interface Size {
  width: number;
  height: number;
}

/** The size frames are captured at: the camera's aspect ratio, at most maxWidth wide, never enlarged. */
export function captureSize(source: Size, maxWidth = GIF_MAX_WIDTH): Size {
  if (source.width <= 0 || source.height <= 0) return { width: maxWidth, height: Math.round((maxWidth * 3) / 4) };
  const scale = Math.min(1, maxWidth / source.width);
  return {
    width: Math.max(1, Math.round(source.width * scale)),
    height: Math.max(1, Math.round(source.height * scale)),
  };
}

/** Frames a full recording holds: 30 for 3 s at 10 fps. */
export function maxFrames(maxMs = GIF_MAX_MS, fps = GIF_FPS): number {
  return Math.max(1, Math.floor((maxMs * fps) / 1000));
}

/** When frame `index` is due, in ms after the recording started. */
export function frameDueAt(index: number, fps = GIF_FPS): number {
  return Math.round((index * 1000) / fps);
}

/**
 * Per-frame GIF delays from the times the frames were really taken: timers run late on a busy
 * page, and playing late frames at the nominal rate would make the GIF faster than life.
 * The last frame lasts one nominal interval.
 */
export function gifDelays(takenAt: readonly number[], fps = GIF_FPS): number[] {
  const nominal = 1000 / fps;
  return takenAt.map((time, i) => {
    const next = takenAt[i + 1];
    const raw = next === undefined ? nominal : next - time;
    return Math.max(MIN_DELAY_MS, Math.round(raw / 10) * 10);
  });
}
