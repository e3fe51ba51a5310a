/** How a file shows in the log: inline media, or a link to download it. */
export type FileKind = 'image' | 'video' | 'audio' | 'download';

// What every current browser decodes inline; SVG never: it is a document that can run script.
const inlineImages = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);
const inlineVideos = new Set(['video/mp4', 'video/webm']);
const inlineAudio = new Set(['audio/mpeg', 'audio/mp4', 'audio/ogg', 'audio/wav', 'audio/webm', 'audio/flac']);

export function fileKind(type: string): FileKind {
  const base = (type.split(';')[0] ?? '').trim().toLowerCase();
  if (inlineImages.has(base)) return 'image';
  if (inlineVideos.has(base)) return 'video';
  if (inlineAudio.has(base)) return 'audio';
  return 'download';
}

const units = ['KB', 'MB', 'GB'];

/** A byte count for people: `512 bytes`, `1.5 KB`, `25 MB` (powers of 1024, as file managers do). */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return bytes === 1 ? '1 byte' : `${bytes} bytes`;
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  // One decimal below 10 (1.5 MB), none above (195 KB); never "25.0 MB".
  const shown = value < 10 ? Math.round(value * 10) / 10 : Math.round(value);
  return `${shown} ${units[unit] ?? 'GB'}`;
}
