import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Message, User } from '@pockychat/protocol';
import { initialChatState, type ChatState } from '../src/state/chat-state.ts';
import { applyAck, applyMessage, discardPending, retryPending } from '../src/state/reconcile.ts';
import { addRoom } from '../src/state/rooms.ts';
import { timelineOf } from '../src/state/timeline.ts';
import { addUpload, failUpload, setUploadProgress } from '../src/state/uploads.ts';
import { fileKind, formatBytes } from '../src/state/file-kind.ts';
import { FileBlobs } from '../src/api/file-blobs.ts';
import { ApiError } from '../src/api/api-error.ts';
import type { FilesApi } from '../src/api/files-api.ts';
import { describeUploadError } from '../src/session/file-uploads.ts';

const ann: User = { id: 'ann1', name: 'Ann', kind: 'guest' };

function withLobby(): ChatState {
  return addRoom({ ...initialChatState(), me: ann }, 'lobby');
}

function uploading(state = withLobby()): ChatState {
  return addUpload(state, {
    clientId: 'c1',
    room: 'lobby',
    createdAt: 1,
    file: { name: 'cat.gif', type: 'image/gif', size: 1000, width: 320, height: 240 },
  });
}

const fileMessage: Message = {
  id: 'm1',
  room: 'lobby',
  seq: 1,
  author: ann,
  text: '',
  date: new Date(0).toISOString(),
  likes: [],
  file: { id: 'f1', name: 'cat.gif', type: 'image/gif', size: 1000, url: '/files/f1', width: 320, height: 240 },
};

describe('upload state', () => {
  test('an upload is a pending message with its file, at 0 %', () => {
    const state = uploading();
    assert.deepEqual(state.pending.c1?.file, {
      name: 'cat.gif',
      type: 'image/gif',
      size: 1000,
      width: 320,
      height: 240,
      progress: 0,
    });
    assert.equal(state.pending.c1?.status, 'sending');
    assert.equal(state.pending.c1?.text, '');
  });

  test('progress moves in whole percents, forward only', () => {
    const half = setUploadProgress(uploading(), 'c1', 505, 1000);
    assert.equal(half.pending.c1?.file?.progress, 0.5);
    assert.equal(setUploadProgress(half, 'c1', 509, 1000), half, 'same percent: same state, no re-render');
    assert.equal(setUploadProgress(half, 'c1', 100, 1000), half, 'never backwards');
    assert.equal(setUploadProgress(half, 'c1', 2000, 1000).pending.c1?.file?.progress, 1, 'capped at 100 %');
    assert.equal(setUploadProgress(half, 'nope', 600, 1000), half);
  });

  test('the HTTP answer reconciles by clientId, and the echo frame is not shown twice', () => {
    // The `message` frame can arrive before the HTTP answer: it is held while the upload runs.
    const echoed = applyMessage(uploading(), fileMessage);
    assert.deepEqual(
      timelineOf(echoed.rooms.lobby!, echoed.pending).map((item) => item.kind),
      ['pending'],
    );
    const acked = applyAck(echoed, { type: 'ack', clientId: 'c1', message: fileMessage });
    assert.deepEqual(acked.pending, {});
    assert.deepEqual(
      timelineOf(acked.rooms.lobby!, acked.pending).map((item) => item.key),
      ['m1'],
    );
  });

  test('a refused upload is failed with its reason; Retry starts over with the same clientId', () => {
    const failed = failUpload(setUploadProgress(uploading(), 'c1', 400, 1000), 'c1', 'too_large', 'File too large');
    assert.equal(failed.pending.c1?.status, 'failed');
    assert.equal(failed.pending.c1?.error, 'too_large');
    assert.equal(failed.pending.c1?.file?.failure, 'File too large');
    const retried = retryPending(failed, 'c1');
    assert.equal(retried.pending.c1?.status, 'sending');
    assert.equal(retried.pending.c1?.file?.progress, 0);
    assert.equal(retried.pending.c1?.file?.failure, undefined);
    assert.equal(retried.pending.c1?.file?.name, 'cat.gif');
  });

  test('progress after a failure is ignored; cancel removes the upload', () => {
    const failed = failUpload(uploading(), 'c1', 'network', 'offline');
    assert.equal(setUploadProgress(failed, 'c1', 900, 1000), failed);
    assert.deepEqual(discardPending(uploading(), 'c1').pending, {});
  });
});

describe('file kinds', () => {
  test('pictures, video and audio show inline', () => {
    for (const type of ['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'IMAGE/PNG']) {
      assert.equal(fileKind(type), 'image', type);
    }
    assert.equal(fileKind('video/mp4'), 'video');
    assert.equal(fileKind('video/webm'), 'video');
    assert.equal(fileKind('audio/mpeg'), 'audio');
    assert.equal(fileKind('audio/ogg; codecs=opus'), 'audio');
  });

  test('anything else, SVG included, is a download', () => {
    for (const type of [
      'image/svg+xml',
      'text/html',
      'text/plain',
      'application/pdf',
      'application/octet-stream',
      '',
    ]) {
      assert.equal(fileKind(type), 'download', type);
    }
  });

  test('sizes read like a file manager', () => {
    assert.equal(formatBytes(0), '0 bytes');
    assert.equal(formatBytes(1), '1 byte');
    assert.equal(formatBytes(1023), '1023 bytes');
    assert.equal(formatBytes(1536), '1.5 KB');
    assert.equal(formatBytes(200_000), '195 KB');
    assert.equal(formatBytes(25 * 1024 * 1024), '25 MB');
    assert.equal(formatBytes(3 * 1024 ** 3), '3 GB');
  });
});

describe('upload errors in words', () => {
  test('too large names the limit the server states', () => {
    const error = new ApiError(413, 'too_large', 'a file is at most 200000 bytes');
    assert.equal(describeUploadError(error), 'File too large (max 195 KB)');
    assert.equal(describeUploadError(new ApiError(413, 'too_large', 'too large')), 'File too large (max 25 MB)');
  });

  test('each failure says what happened', () => {
    assert.match(describeUploadError(new ApiError(403, 'forbidden', '')), /cannot share files/);
    assert.match(describeUploadError(new ApiError(429, 'rate_limited', '')), /wait a moment/);
    assert.match(describeUploadError(new ApiError(0, 'network', '')), /could not be reached/);
    assert.match(describeUploadError(new Error('boom')), /Upload failed/);
  });
});

describe('file blobs', () => {
  function fakeApi(fetched: string[]): FilesApi {
    return {
      upload: () => assert.fail('no uploads here'),
      resolve: (url) => `http://api${url}`,
      download: async (url) => {
        fetched.push(url);
        return new Blob([url]);
      },
    };
  }

  test('one fetch per file, however often it is shown', async () => {
    const fetched: string[] = [];
    const blobs = new FileBlobs(fakeApi(fetched));
    const [a, b] = await Promise.all([blobs.load('/files/a'), blobs.load('/files/a')]);
    assert.equal(a, b);
    await blobs.load('/files/a');
    assert.deepEqual(fetched, ['/files/a']);
  });

  test('bytes put by the uploader are not fetched again', async () => {
    const fetched: string[] = [];
    const blobs = new FileBlobs(fakeApi(fetched));
    const mine = new Blob(['gif']);
    blobs.put('/files/mine', mine);
    assert.equal(await blobs.load('/files/mine'), mine);
    assert.deepEqual(fetched, []);
  });

  test('the oldest blobs go past the memory budget', async () => {
    const fetched: string[] = [];
    const blobs = new FileBlobs(fakeApi(fetched), 100);
    const big = () => new Blob([new Uint8Array(60)]);
    blobs.put('/files/one', big());
    blobs.put('/files/two', big());
    await blobs.load('/files/two');
    await blobs.load('/files/one');
    assert.deepEqual(fetched, ['/files/one'], 'the first was dropped to make room for the second');
  });
});
