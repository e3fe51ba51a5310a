import type { Readable } from 'node:stream';

export interface StoredBlob {
  key: string;
  size: number;
  /** Hex SHA-256 of the bytes: the ETag. */
  sha256: string;
  /** The first bytes, for type sniffing and image dimensions. */
  head: Buffer;
}

export class BlobTooLargeError extends Error {
  constructor(limit: number) {
    super(`over the limit of ${limit} bytes`);
    this.name = 'BlobTooLargeError';
  }
}

/**
 * Where file bytes live: streamed in and out, never whole in memory. Keys
 * are made by the store, never by a client.
 */
export interface BlobStore {
  /** Streams into storage; rejects with BlobTooLargeError past maxBytes, leaving nothing behind. */
  put(source: Readable, maxBytes: number): Promise<StoredBlob>;
  /** A stream of bytes start..end (inclusive), or all of them. */
  open(key: string, range?: { start: number; end: number }): Readable;
  delete(key: string): Promise<void>;
}
