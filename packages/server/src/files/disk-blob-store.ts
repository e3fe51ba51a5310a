import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { randomId } from '../chat/ids.ts';
import { BlobTooLargeError, type BlobStore, type StoredBlob } from './blob-store.ts';

const HEAD_BYTES = 64 * 1024;

/** Blobs as files under DATA_DIR/uploads, named by random ids; written to a .part file, renamed when whole. */
export class DiskBlobStore implements BlobStore {
  readonly #dir: string;

  constructor(dir: string) {
    this.#dir = dir;
  }

  async put(source: Readable, maxBytes: number): Promise<StoredBlob> {
    await mkdir(this.#dir, { recursive: true });
    const key = randomId(32);
    const part = `${this.#file(key)}.part`;
    const meter = new Meter(maxBytes);
    try {
      await pipeline(source, meter, createWriteStream(part, { flags: 'wx' }));
      await rename(part, this.#file(key));
    } catch (err) {
      await rm(part, { force: true });
      throw err;
    }
    return { key, size: meter.size, sha256: meter.hash.digest('hex'), head: Buffer.concat(meter.head) };
  }

  open(key: string, range?: { start: number; end: number }): Readable {
    return createReadStream(this.#file(key), range);
  }

  async delete(key: string): Promise<void> {
    await rm(this.#file(key), { force: true });
  }

  #file(key: string): string {
    if (!/^[a-z0-9]{32}$/.test(key)) throw new Error('bad blob key');
    return path.join(this.#dir, key);
  }
}

/** Counts, hashes and keeps the head of the bytes going through; fails past the limit, mid-stream. */
class Meter extends Transform {
  size = 0;
  readonly hash = createHash('sha256');
  readonly head: Buffer[] = [];
  #headSize = 0;
  readonly #limit: number;

  constructor(limit: number) {
    super();
    this.#limit = limit;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.size += chunk.length;
    if (this.size > this.#limit) return done(new BlobTooLargeError(this.#limit));
    this.hash.update(chunk);
    if (this.#headSize < HEAD_BYTES) {
      const slice = chunk.subarray(0, HEAD_BYTES - this.#headSize);
      this.head.push(Buffer.from(slice));
      this.#headSize += slice.length;
    }
    done(null, chunk);
  }
}
