import { fileTypeFromBuffer } from 'file-type';
import { imageSize } from 'image-size';

/** Types a browser shows without running anything: these alone are served inline. */
const inlineTypes = new Set([
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'image/avif',
  'audio/mpeg',
  'audio/ogg',
  'audio/wav',
  'audio/webm',
  'audio/mp4',
  'video/mp4',
  'video/webm',
  'video/ogg',
  'video/quicktime',
]);

/** Larger images are refused before any browser tries to decode them (decompression bombs). */
export const MAX_IMAGE_PIXELS = 50_000_000;

export interface SniffedType {
  type: string;
  inline: boolean;
  width?: number;
  height?: number;
}

/**
 * The type comes from the bytes. When the bytes have no signature, the
 * client's claim is kept only as a label (text/plain for valid UTF-8 text,
 * else what was claimed), and such files are always downloads, never inline.
 * `whole` says whether the head is the whole file or only its start.
 */
export async function sniffType(head: Buffer, claimed: string | undefined, whole: boolean): Promise<SniffedType> {
  const sniffed = await fileTypeFromBuffer(head);
  if (sniffed) {
    const inline = inlineTypes.has(sniffed.mime);
    return { type: sniffed.mime, inline, ...(sniffed.mime.startsWith('image/') ? imageDimensions(head) : {}) };
  }
  const label = claimed?.split(';')[0]?.trim().toLowerCase() ?? '';
  // A claim of a type that has a signature (an image, say) is a lie when the signature is missing.
  const textual = /^(text\/[a-z0-9.+-]+|application\/(json|xml|[a-z0-9.+-]+\+(json|xml))|image\/svg\+xml)$/.test(label);
  if (looksLikeText(head, whole)) return { type: textual ? label : 'text/plain', inline: false };
  return { type: 'application/octet-stream', inline: false };
}

/** An image's width and height, when these bytes (its start) hold them. */
export function imageDimensions(head: Buffer): { width?: number; height?: number } {
  try {
    const { width, height } = imageSize(head);
    return width && height ? { width, height } : {};
  } catch {
    return {};
  }
}

function looksLikeText(head: Buffer, whole: boolean): boolean {
  if (head.includes(0)) return false;
  try {
    // A head cut short may end inside a character: streaming mode lets that
    // last sequence wait for bytes that never come, and checks everything else.
    // A whole file is checked to its last byte (a short binary file is not text).
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: !whole });
    return true;
  } catch {
    return false;
  }
}
