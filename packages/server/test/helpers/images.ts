import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { crc32, deflateSync } from 'node:zlib';

/** Small real files, built byte by byte, for the upload tests. */

/** A valid PNG of width x height grey pixels. */
export function png(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 0, 0, 0, 0], 8); // 8-bit greyscale, deflate, no filter, no interlace
  // Each row: a filter byte (0) then one byte per pixel.
  const raw = Buffer.alloc((width + 1) * height, 0x80);
  for (let y = 0; y < height; y++) raw[y * (width + 1)] = 0;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', deflateSync(raw)),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typed = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typed));
  return Buffer.concat([length, typed, crc]);
}

/** A GIF header (logical screen descriptor) claiming width x height, followed by `tail`. */
export function gifHeader(width: number, height: number, tail: Buffer | string = ''): Buffer {
  const screen = Buffer.alloc(7);
  screen.writeUInt16LE(width, 0);
  screen.writeUInt16LE(height, 2);
  screen.set([0, 0, 0], 4); // no global colour table
  return Buffer.concat([Buffer.from('GIF89a', 'ascii'), screen, Buffer.from(tail), Buffer.from([0x3b])]);
}

/**
 * A JPEG's markers up to a baseline frame header claiming width x height
 * (no image data: enough for sniffing and sizing). `metadataBytes` of APPn
 * segments come first, as EXIF and ICC profiles do in real photos.
 */
export function jpegHeader(width: number, height: number, metadataBytes = 0): Buffer {
  const segments: Buffer[] = [];
  for (let left = metadataBytes; left > 0; left -= 65533) {
    segments.push(jpegSegment(0xffe1, Buffer.alloc(Math.min(left, 65533), 0x41)));
  }
  const frame = Buffer.from([8, 0, 0, 0, 0, 3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]);
  frame.writeUInt16BE(height, 1);
  frame.writeUInt16BE(width, 3);
  return Buffer.concat([Buffer.from([0xff, 0xd8]), ...segments, jpegSegment(0xffc0, frame), Buffer.from([0xff, 0xd9])]);
}

function jpegSegment(marker: number, data: Buffer): Buffer {
  const header = Buffer.alloc(4);
  header.writeUInt16BE(marker, 0);
  header.writeUInt16BE(data.length + 2, 2);
  return Buffer.concat([header, data]);
}

/** Bytes with no known signature that are not UTF-8 text. */
export function unknownBinary(size = 4096): Buffer {
  const bytes = randomBytes(size);
  // No magic number at the start, and a NUL and an invalid UTF-8 byte early on.
  bytes.set([0x00, 0x01, 0xff, 0xfe, 0x00, 0x13], 0);
  return bytes;
}

export function sha256(bytes: Buffer | Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * `size` bytes made chunk by chunk as they are read, so that the client never
 * holds the whole body: its hash is known once the stream has ended.
 * `beforeLastChunk` holds the last chunk back until it resolves, so that a
 * test can look at the server while it has everything but the end.
 */
export function generatedBody(
  size: number,
  options: { chunkSize?: number; beforeLastChunk?: () => Promise<void> } = {},
): { stream: Readable; sha256: () => string } {
  const chunkSize = options.chunkSize ?? 64 * 1024;
  const hash = createHash('sha256');
  const seed = randomBytes(chunkSize);
  let sent = 0;
  let index = 0;
  const next = (): Buffer => {
    const chunk = Buffer.from(seed.subarray(0, Math.min(chunkSize, size - sent)));
    // Each chunk differs, so a chunk lost, repeated or reordered changes the hash.
    if (chunk.length >= 4) chunk.writeUInt32BE(index++ % 0x1_0000_0000, 0);
    hash.update(chunk);
    sent += chunk.length;
    return chunk;
  };
  const stream = new Readable({
    highWaterMark: chunkSize,
    read() {
      if (sent >= size) return void this.push(null);
      const last = size - sent <= chunkSize;
      if (!last || !options.beforeLastChunk) return void this.push(next());
      options.beforeLastChunk().then(
        () => this.push(next()),
        (err: unknown) => this.destroy(err as Error),
      );
    },
  });
  let digest: string | undefined;
  return { stream, sha256: () => (digest ??= hash.digest('hex')) };
}
