import assert from 'node:assert/strict';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import type { AuthAnswer } from '@pockychat/protocol';
import { ChatError } from '../src/chat/chat-error.ts';
import { ChatService } from '../src/chat/chat-service.ts';
import { systemClock } from '../src/chat/clock.ts';
import { FileService } from '../src/chat/file-service.ts';
import { LocalFanout } from '../src/fanout/local-fanout.ts';
import type { BlobStore } from '../src/files/blob-store.ts';
import { DiskBlobStore } from '../src/files/disk-blob-store.ts';
import type { Store } from '../src/chat/ports/store.ts';
import { ChatClient, guest } from './helpers/clients.ts';
import { startTestServer, tempDataDir, type TestServer } from './helpers/test-server.ts';
import { download, upload } from './helpers/uploads.ts';

/** A blob store that counts the streams opened on it. */
class CountingBlobStore implements BlobStore {
  opened = 0;
  readonly #inner: BlobStore;
  constructor(inner: BlobStore) {
    this.#inner = inner;
  }
  put: BlobStore['put'] = (source, maxBytes) => this.#inner.put(source, maxBytes);
  delete: BlobStore['delete'] = (key) => this.#inner.delete(key);
  open(key: string, range?: { start: number; end: number }): Readable {
    this.opened++;
    return this.#inner.open(key, range);
  }
}

async function bytesOf(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * Who may download a file is FileService's rule: the transport reads no
 * bytes but through it, so a refused reader never reaches the blob store.
 */
describe('files: downloads go through FileService', () => {
  let server: TestServer;
  let blobs: CountingBlobStore;
  let files: FileService;
  let ann: AuthAnswer;
  let eve: AuthAnswer;
  let owner: ChatClient;
  let fileUrl: string;
  const bytes = Buffer.from('only for the vault\n');

  before(async () => {
    const dataDir = tempDataDir();
    const fanout = new LocalFanout();
    blobs = new CountingBlobStore(new DiskBlobStore(path.join(dataDir, 'uploads')));
    let store: Store | undefined;
    server = await startTestServer({ dataDir, fanout, blobs, wrapStore: (opened) => (store = opened) });
    if (!store) throw new Error('the test server opened no store');
    const chat = new ChatService({ store, fanout, clock: systemClock, rateLimit: { messages: 100, windowMs: 10_000 } });
    files = new FileService({ store, blobs, chat, maxBytes: 1024 * 1024 });

    ann = await guest(server.url, 'Ann');
    eve = await guest(server.url, 'Eve');
    owner = await ChatClient.connect(server.url, ann.token);
    await owner.join('vault', 'private');
    const stored = await upload(server.url, ann.token, 'vault', bytes, { clientId: 'v1', name: 'secret.txt' });
    assert.equal(stored.status, 201);
    fileUrl = stored.body.message.file.url as string;
  });
  after(async () => {
    owner.close();
    await server.close();
  });

  test('a non-member is refused by FileService.download, like an unknown id, before any byte is opened', async () => {
    const id = fileUrl.split('/').pop() as string;
    const opened = blobs.opened;
    const refusal = (err: unknown) => err instanceof ChatError && err.code === 'forbidden';
    await assert.rejects(files.download(eve.user, id), refusal);
    await assert.rejects(files.download(eve.user, 'nosuchfileid0000000000000'), refusal);
    assert.equal((await download(server.url, eve.token, fileUrl)).status, 403);
    assert.equal(blobs.opened, opened, 'no blob was opened for a refused reader');
  });

  test('a member gets the record and the bytes, whole or a range; nothing is opened until asked for', async () => {
    const id = fileUrl.split('/').pop() as string;
    const opened = blobs.opened;
    const { file, stream } = await files.download(ann.user, id);
    assert.equal(file.ref.size, bytes.length);
    assert.equal(file.room, 'vault');
    assert.equal(blobs.opened, opened, 'the record alone opens no blob');
    assert.deepEqual(await bytesOf(stream()), bytes);
    assert.deepEqual(await bytesOf(stream({ start: 5, end: 7 })), bytes.subarray(5, 8));
    assert.throws(
      () => stream({ start: 0, end: bytes.length }),
      (err: unknown) => err instanceof ChatError && err.code === 'bad_request',
    );

    const got = await download(server.url, ann.token, fileUrl);
    assert.equal(got.status, 200);
    assert.deepEqual(got.bytes, bytes);
    const notModified = await download(server.url, ann.token, fileUrl, { 'if-none-match': `"${file.sha256}"` });
    assert.equal(notModified.status, 304);
    assert.equal(blobs.opened, opened + 3, 'the 304 opened nothing');
  });
});
