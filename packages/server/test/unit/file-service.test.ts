import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { after, describe, test } from 'node:test';
import type { User } from '@pockychat/protocol';
import { FileService, type Upload } from '../../src/chat/file-service.ts';
import { DiskBlobStore } from '../../src/files/disk-blob-store.ts';
import { gifHeader, png } from '../helpers/images.ts';
import { domain, MESSAGES_PER_WINDOW, textFrame } from './domain.ts';

const MAX_BYTES = 4096;
const dirs: string[] = [];
after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** The domain with files kept in a fresh directory. */
function withFiles() {
  const dir = mkdtempSync(path.join(tmpdir(), 'pockychat-file-service-'));
  dirs.push(dir);
  const d = domain();
  const files = new FileService({ store: d.store, blobs: new DiskBlobStore(dir), chat: d.chat, maxBytes: MAX_BYTES });
  let n = 0;
  const upload = (user: User, bytes: Buffer, options: Partial<Omit<Upload, 'body'>> = {}) =>
    files.upload(user, {
      room: 'lobby',
      clientId: `upload-${++n}`,
      text: '',
      name: 'notes.txt',
      claimedType: undefined,
      body: Readable.from([bytes]),
      ...options,
    });
  return { ...d, files, upload, blobs: () => readdirSync(dir) };
}

describe('FileService on the memory store and a disk blob store', () => {
  test('an upload keeps the bytes, sends the file message to the room, and opens for a reader', async () => {
    const d = withFiles();
    const [ann, bob] = [await d.guest('ann'), await d.guest('bob')];
    d.fanout.take();
    const { message, duplicate } = await d.upload(ann, Buffer.from('hello file'), { text: 'see this' });
    assert.equal(duplicate, false);
    assert.equal(message.text, 'see this');
    assert.deepEqual(
      [message.file?.name, message.file?.type, message.file?.size],
      ['notes.txt', 'text/plain', 'hello file'.length],
    );
    assert.deepEqual(d.fanout.take(), [{ to: 'room', room: 'lobby', frame: { type: 'message', message } }]);
    assert.equal(d.blobs().length, 1);
    const { file: record } = await d.files.download(bob, message.file?.id ?? '');
    assert.deepEqual([record.ref, record.room, record.messageId], [message.file, 'lobby', message.id]);
    assert.equal(record.blobKey, d.blobs()[0]);
  });

  test('an image is typed from its bytes and sized; a decompression bomb is refused and its bytes deleted', async () => {
    const d = withFiles();
    const ann = await d.guest('ann');
    const { message } = await d.upload(ann, png(3, 2), { name: 'a.png', claimedType: 'text/plain' });
    assert.deepEqual([message.file?.type, message.file?.width, message.file?.height], ['image/png', 3, 2]);
    await assert.rejects(d.upload(ann, gifHeader(65535, 65535), { name: 'bomb.gif' }), { code: 'bad_request' });
    assert.equal(d.blobs().length, 1, 'only the PNG is kept');
  });

  test('a file over the limit is too_large and leaves nothing behind; one of exactly the limit is kept', async () => {
    const d = withFiles();
    const ann = await d.guest('ann');
    await assert.rejects(d.upload(ann, Buffer.alloc(MAX_BYTES + 1, 0x61)), { code: 'too_large' });
    assert.deepEqual(d.blobs(), []);
    assert.equal(await d.chat.lastSeq('lobby'), 0);
    await d.upload(ann, Buffer.alloc(MAX_BYTES, 0x61));
    assert.equal(d.blobs().length, 1);
  });

  test('a resent clientId answers with the first message and keeps one message and one blob', async () => {
    const d = withFiles();
    const ann = await d.guest('ann');
    const first = await d.upload(ann, Buffer.from('once'), { clientId: 'same' });
    const again = await d.upload(ann, Buffer.from('twice'), { clientId: 'same' });
    assert.deepEqual(again, { message: first.message, duplicate: true });
    assert.equal(d.blobs().length, 1);
    assert.equal(await d.chat.lastSeq('lobby'), 1);
  });

  test('concurrent uploads with one clientId keep one message and one blob', async () => {
    const d = withFiles();
    const ann = await d.guest('ann');
    const results = await Promise.all([1, 2, 3].map((i) => d.upload(ann, Buffer.from(`copy ${i}`), { clientId: 'c' })));
    assert.equal(new Set(results.map((r) => r.message.id)).size, 1);
    assert.equal(results.filter((r) => !r.duplicate).length, 1);
    assert.equal(d.blobs().length, 1);
  });

  test('a message refused after the bytes are in (rate limit) deletes them', async () => {
    const d = withFiles();
    const ann = await d.guest('ann');
    for (let i = 0; i < MESSAGES_PER_WINDOW; i++) await d.chat.send(ann, textFrame('lobby'));
    await assert.rejects(d.upload(ann, Buffer.from('one too many')), { code: 'rate_limited' });
    assert.deepEqual(d.blobs(), []);
  });

  test('only readers of a private room may upload to it or open its files; an unknown id is refused alike', async () => {
    const d = withFiles();
    const [ann, bob] = [await d.guest('ann'), await d.guest('bob')];
    await d.join(ann, 'shut');
    await assert.rejects(d.upload(bob, Buffer.from('x'), { room: 'shut' }), { code: 'forbidden' });
    assert.deepEqual(d.blobs(), []);
    const { message } = await d.upload(ann, Buffer.from('secret'), { room: 'shut' });
    await assert.rejects(d.files.download(bob, message.file?.id ?? ''), { code: 'forbidden' });
    await assert.rejects(d.files.download(bob, 'no-such-file'), { code: 'forbidden' });
    assert.equal((await d.files.download(ann, message.file?.id ?? '')).file.room, 'shut');
  });
});
