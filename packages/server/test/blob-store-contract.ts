import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { after, afterEach, before, describe, test } from 'node:test';
import { BlobTooLargeError, type BlobStore } from '../src/files/blob-store.ts';

/** One blob store under test, with a way to look at everything it holds. */
export interface BlobStoreUnderTest {
  store: BlobStore;
  /** Every entry the backend holds (files, rows, objects), finished or not. */
  stored(): Promise<string[]>;
  close(): Promise<void>;
}

const KiB = 1024;

/**
 * The contract every BlobStore keeps, run against each implementation (disk
 * now, PostgreSQL later). Rule ids in the test names: B1..B8.
 */
export function runBlobStoreContract(name: string, make: () => Promise<BlobStoreUnderTest>): void {
  describe(`BlobStore contract: ${name}`, () => {
    let subject: BlobStoreUnderTest;
    let blobs: BlobStore;
    before(async () => {
      subject = await make();
      blobs = subject.store;
    });
    after(() => subject.close());
    afterEach(async () => {
      // Each rule starts from an empty store.
      for (const key of keysMade.splice(0)) await blobs.delete(key);
      assert.deepEqual(await subject.stored(), [], 'a rule left something behind');
    });
    const keysMade: string[] = [];
    const put = async (source: Readable, maxBytes = 10 * 1024 * KiB) => {
      const blob = await blobs.put(source, maxBytes);
      keysMade.push(blob.key);
      return blob;
    };

    test('B1: put streams the bytes in and reports their size, SHA-256 and first bytes', async () => {
      const bytes = randomBytes(300 * KiB);
      const blob = await put(chunked(bytes, 7 * KiB));
      assert.equal(blob.size, bytes.length);
      assert.equal(blob.sha256, sha256(bytes));
      // Enough of a head for type sniffing (file-type reads 4,100 bytes), and only the start.
      assert.ok(blob.head.length >= 4100, `head of ${blob.head.length} bytes`);
      assert.deepEqual(blob.head, bytes.subarray(0, blob.head.length));
      assert.deepEqual(await readAll(() => blobs.open(blob.key)), bytes);
    });

    test('B2: an empty blob and a blob smaller than the head are kept exactly', async () => {
      const empty = await put(Readable.from([]));
      assert.equal(empty.size, 0);
      assert.equal(empty.sha256, sha256(Buffer.alloc(0)));
      assert.equal(empty.head.length, 0);
      assert.equal((await readAll(() => blobs.open(empty.key))).length, 0);
      const small = Buffer.from('tiny');
      const blob = await put(Readable.from([small]));
      assert.deepEqual(blob.head, small);
      assert.deepEqual(await readAll(() => blobs.open(blob.key)), small);
    });

    test('B3: open with a range gives bytes start..end inclusive', async () => {
      const bytes = randomBytes(100 * KiB);
      const blob = await put(chunked(bytes, 16 * KiB));
      for (const [start, end] of [
        [0, 0],
        [0, 9],
        [10, 20],
        [16 * KiB - 1, 16 * KiB + 1],
        [bytes.length - 1, bytes.length - 1],
        [0, bytes.length - 1],
      ] as const) {
        assert.deepEqual(
          await readAll(() => blobs.open(blob.key, { start, end })),
          bytes.subarray(start, end + 1),
          `${start}-${end}`,
        );
      }
    });

    test('B4: past maxBytes, put rejects with BlobTooLargeError and keeps nothing, even a partial blob', async () => {
      const limit = 64 * KiB;
      await assert.rejects(blobs.put(chunked(randomBytes(limit + 1), 8 * KiB), limit), BlobTooLargeError);
      assert.deepEqual(await subject.stored(), []);
      // A source far larger than the limit is not read to its end.
      let produced = 0;
      const endless = new Readable({
        read() {
          produced += 16 * KiB;
          this.push(Buffer.alloc(16 * KiB, 1));
        },
      });
      await assert.rejects(blobs.put(endless, limit), BlobTooLargeError);
      assert.ok(produced < 4 * limit + 64 * KiB, `read ${produced} bytes of an endless source`);
      assert.deepEqual(await subject.stored(), []);
      // Exactly the limit is allowed.
      const exact = await put(chunked(randomBytes(limit), 8 * KiB), limit);
      assert.equal(exact.size, limit);
    });

    test('B5: a source that fails, at once or midway, rejects put and keeps nothing', async () => {
      for (let i = 0; i < 20; i++) {
        const failing = new Readable({
          read() {
            this.destroy(new Error('client went away'));
          },
        });
        await assert.rejects(blobs.put(failing, 1024 * KiB), /client went away/);
        assert.deepEqual(await subject.stored(), [], `immediate failure, round ${i}`);
      }
      let sent = 0;
      const midway = new Readable({
        read() {
          if (sent >= 64 * KiB) return void this.destroy(new Error('connection reset'));
          sent += 8 * KiB;
          this.push(Buffer.alloc(8 * KiB, 2));
        },
      });
      await assert.rejects(blobs.put(midway, 1024 * KiB), /connection reset/);
      assert.deepEqual(await subject.stored(), []);
    });

    test('B6: keys are made by the store: the same bytes twice get two keys, and no path is accepted as one', async () => {
      const bytes = Buffer.from('same bytes');
      const a = await put(Readable.from([bytes]));
      const b = await put(Readable.from([bytes]));
      assert.notEqual(a.key, b.key);
      assert.equal(a.sha256, b.sha256);
      assert.doesNotMatch(a.key, /[/\\.]/);
      for (const bad of ['../../etc/passwd', '/etc/passwd', `${a.key}/../${b.key}`, `../${a.key}`, '', '.', '..']) {
        await assert.rejects(
          readAll(() => blobs.open(bad)),
          `open(${JSON.stringify(bad)})`,
        );
        await assert.rejects(
          Promise.resolve().then(() => blobs.delete(bad)),
          `delete(${JSON.stringify(bad)})`,
        );
      }
      assert.deepEqual(await readAll(() => blobs.open(a.key)), bytes, 'nothing was deleted by a bad key');
    });

    test('B7: delete removes the blob, and deleting again is harmless', async () => {
      const blob = await blobs.put(Readable.from([Buffer.from('gone soon')]), 1024);
      assert.equal((await subject.stored()).length, 1);
      await blobs.delete(blob.key);
      assert.deepEqual(await subject.stored(), []);
      await blobs.delete(blob.key);
      await assert.rejects(readAll(() => blobs.open(blob.key)));
    });

    test('B8: concurrent puts keep their bytes apart', async () => {
      const inputs = Array.from({ length: 8 }, () => randomBytes(40 * KiB + Math.floor(Math.random() * 1000)));
      const stored = await Promise.all(inputs.map((bytes) => put(chunked(bytes, 3 * KiB))));
      assert.equal(new Set(stored.map((s) => s.key)).size, inputs.length);
      for (const [i, blob] of stored.entries()) {
        assert.equal(blob.sha256, sha256(inputs[i] as Buffer));
        assert.deepEqual(await readAll(() => blobs.open(blob.key)), inputs[i]);
      }
    });
  });
}

/** The bytes as a stream of chunks of the given size, made as they are read. */
function chunked(bytes: Buffer, size: number): Readable {
  let offset = 0;
  return new Readable({
    read() {
      if (offset >= bytes.length) return void this.push(null);
      this.push(bytes.subarray(offset, offset + size));
      offset += size;
    },
  });
}

/** Reads a whole stream; a synchronous throw from `open` becomes a rejection too. */
async function readAll(open: () => Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of open()) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}
