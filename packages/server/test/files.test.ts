import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { Agent, request, type IncomingMessage } from 'node:http';
import { statSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { after, before, describe, test } from 'node:test';
import type { AuthAnswer } from '@pockychat/protocol';
import { ChatClient, api, guest, guestWithCookie } from './helpers/clients.ts';
import { generatedBody, gifHeader, jpegHeader, png, sha256, unknownBinary } from './helpers/images.ts';
import { startTestServer, type TestServer } from './helpers/test-server.ts';
import { download, streamRequest, upload, uploadForm, uploadPath, uploadsOf } from './helpers/uploads.ts';
import { waitFor } from './helpers/wait-for.ts';

const MiB = 1024 * 1024;

/** Joins (creating) a room over a real socket, so that it exists for the HTTP upload. */
async function createRoom(url: string, token: string, room: string, visibility: 'public' | 'private' = 'public') {
  const client = await ChatClient.connect(url, token);
  await client.join(room, visibility);
  return client;
}

describe('files: upload, sniffing, names, download headers, idempotency', () => {
  let server: TestServer;
  let ann: AuthAnswer;
  let owner: ChatClient;
  before(async () => {
    server = await startTestServer({ env: { RATE_LIMIT_MESSAGES: '1000' } });
    ann = await guest(server.url, 'Ann');
    owner = await createRoom(server.url, ann.token, 'files');
  });
  after(async () => {
    owner.close();
    await server.close();
  });

  test('a PNG claimed as text/plain is stored as image/png with its dimensions, and served inline', async () => {
    const bytes = png(3, 2);
    const answer = await upload(server.url, ann.token, 'files', bytes, {
      clientId: 'png-1',
      name: 'dot.png',
      type: 'text/plain',
    });
    assert.equal(answer.status, 201);
    const file = answer.body.message.file;
    assert.deepEqual(
      { ...file, id: undefined, url: undefined },
      {
        id: undefined,
        url: undefined,
        name: 'dot.png',
        type: 'image/png',
        size: bytes.length,
        width: 3,
        height: 2,
      },
    );
    assert.equal(file.url, `/files/${file.id}`);
    assert.equal(answer.body.message.text, '');

    const got = await download(server.url, ann.token, file.url);
    assert.equal(got.status, 200);
    assert.deepEqual(got.bytes, bytes);
    assert.equal(got.headers.get('content-type'), 'image/png');
    assert.match(got.headers.get('content-disposition') ?? '', /^inline/);
    assert.equal(got.headers.get('x-content-type-options'), 'nosniff');
  });

  test('HTML claimed as image/gif is not an image, and is served as an attachment', async () => {
    const html = '<!doctype html><html><body><script>alert(document.cookie)</script></body></html>';
    const answer = await upload(server.url, ann.token, 'files', html, {
      clientId: 'html-gif',
      name: 'cat.gif',
      type: 'image/gif',
    });
    assert.equal(answer.status, 201);
    const file = answer.body.message.file;
    assert.doesNotMatch(file.type, /^image\//);
    assert.equal(file.width, undefined);
    assert.equal(file.height, undefined);
    const got = await download(server.url, ann.token, file.url);
    assert.equal(got.status, 200);
    assert.match(got.headers.get('content-disposition') ?? '', /^attachment/);
    assert.doesNotMatch(got.headers.get('content-type') ?? '', /image|html/);
    assert.equal(got.headers.get('x-content-type-options'), 'nosniff');
  });

  test('HTML claimed as text/html keeps its label but is downloaded as bytes, never rendered', async () => {
    const html = '<html><script>alert(1)</script></html>';
    const answer = await upload(server.url, ann.token, 'files', html, {
      clientId: 'html-html',
      name: 'page.html',
      type: 'text/html',
    });
    assert.equal(answer.status, 201);
    assert.equal(answer.body.message.file.type, 'text/html');
    const got = await download(server.url, ann.token, answer.body.message.file.url);
    assert.match(got.headers.get('content-disposition') ?? '', /^attachment/);
    assert.equal(got.headers.get('content-type'), 'application/octet-stream');
  });

  test('an SVG with a script is an attachment, never inline image/svg+xml', async () => {
    for (const [i, svg] of [
      '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
      '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
    ].entries()) {
      const answer = await upload(server.url, ann.token, 'files', svg, {
        clientId: `svg-${i}`,
        name: 'x.svg',
        type: 'image/svg+xml',
      });
      assert.equal(answer.status, 201);
      const got = await download(server.url, ann.token, answer.body.message.file.url);
      assert.match(got.headers.get('content-disposition') ?? '', /^attachment/);
      assert.doesNotMatch(got.headers.get('content-type') ?? '', /svg|xml|html/);
      assert.match(got.headers.get('content-security-policy') ?? '', /sandbox/);
    }
  });

  test('a GIF/HTML polyglot is an image/gif served inline with nosniff and a sandbox CSP, so nothing runs', async () => {
    const polyglot = gifHeader(10, 10, '<html><script>alert(1)</script></html>');
    const answer = await upload(server.url, ann.token, 'files', polyglot, {
      clientId: 'polyglot',
      name: 'p.html',
      type: 'text/html',
    });
    assert.equal(answer.status, 201);
    const file = answer.body.message.file;
    assert.equal(file.type, 'image/gif');
    assert.equal(file.width, 10);
    assert.equal(file.height, 10);
    const got = await download(server.url, ann.token, file.url);
    assert.equal(got.headers.get('content-type'), 'image/gif');
    assert.match(got.headers.get('content-disposition') ?? '', /^inline/);
    assert.equal(got.headers.get('x-content-type-options'), 'nosniff');
    const csp = got.headers.get('content-security-policy') ?? '';
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /sandbox/);
    assert.doesNotMatch(csp, /script-src/);
  });

  test('a 65535x65535 GIF header (a decompression bomb) is refused with 400 and nothing is kept', async () => {
    const before = uploadsOf(server.dataDir).length;
    const answer = await upload(server.url, ann.token, 'files', gifHeader(65535, 65535), {
      clientId: 'bomb',
      name: 'bomb.gif',
      type: 'image/gif',
    });
    assert.equal(answer.status, 400);
    assert.equal(answer.body.error.code, 'bad_request');
    assert.equal(uploadsOf(server.dataDir).length, before);
    const history = await api(server.url, ann.token, '/history?room=files');
    assert.equal(
      history.body.messages.some((m: { file?: { name: string } }) => m.file?.name === 'bomb.gif'),
      false,
    );
  });

  test('a JPEG whose size comes after 100 KiB of metadata is still sized, and refused past the pixel limit', async () => {
    const photo = jpegHeader(640, 480, 100 * 1024);
    const answer = await upload(server.url, ann.token, 'files', photo, { clientId: 'jpeg-deep', name: 'photo.jpg' });
    assert.equal(answer.status, 201);
    assert.equal(answer.body.message.file.type, 'image/jpeg');
    assert.equal(answer.body.message.file.width, 640);
    assert.equal(answer.body.message.file.height, 480);

    const before = uploadsOf(server.dataDir).length;
    const bomb = await upload(server.url, ann.token, 'files', jpegHeader(65535, 65535, 100 * 1024), {
      clientId: 'jpeg-bomb',
      name: 'bomb.jpg',
    });
    assert.equal(bomb.status, 400);
    assert.equal(bomb.body.error.code, 'bad_request');
    assert.equal(uploadsOf(server.dataDir).length, before);
    const plain = await upload(server.url, ann.token, 'files', jpegHeader(65535, 65535), {
      clientId: 'jpeg-bomb-2',
      name: 'b.jpg',
    });
    assert.equal(plain.status, 400);
  });

  test('unknown binary is application/octet-stream, an attachment', async () => {
    for (const [i, bytes] of [unknownBinary(), Buffer.from([0x80, 0x81, 0x82])].entries()) {
      const answer = await upload(server.url, ann.token, 'files', bytes, {
        clientId: `bin-${i}`,
        name: 'blob.bin',
        type: 'image/png',
      });
      assert.equal(answer.status, 201);
      assert.equal(answer.body.message.file.type, 'application/octet-stream', `file ${i}`);
      const got = await download(server.url, ann.token, answer.body.message.file.url);
      assert.equal(got.headers.get('content-type'), 'application/octet-stream');
      assert.match(got.headers.get('content-disposition') ?? '', /^attachment/);
      assert.deepEqual(got.bytes, bytes);
    }
  });

  test('UTF-8 text without a signature is text/plain, whatever binary type was claimed', async () => {
    const answer = await upload(server.url, ann.token, 'files', 'héllo wörld ✓\n', {
      clientId: 'text-1',
      name: 'notes.txt',
      type: 'video/mp4',
    });
    assert.equal(answer.status, 201);
    assert.equal(answer.body.message.file.type, 'text/plain');
  });

  test('a multipart upload takes the file from the field "file" and its name from the part', async () => {
    const form = new FormData();
    form.append('file', new Blob([png(4, 4)], { type: 'text/plain' }), 'photo.png');
    const answer = await uploadForm(server.url, ann.token, 'files', form, 'multi-1');
    assert.equal(answer.status, 201);
    assert.equal(answer.body.message.file.name, 'photo.png');
    assert.equal(answer.body.message.file.type, 'image/png');
    assert.equal(answer.body.message.file.width, 4);
    const got = await download(server.url, ann.token, answer.body.message.file.url);
    assert.deepEqual(got.bytes, png(4, 4));
  });

  test('a multipart upload with another field, an empty field name, or no part at all is a bad_request', async () => {
    const before = uploadsOf(server.dataDir).length;
    const forms: Array<[string, FormData]> = [];
    const other = new FormData();
    other.append('upload', new Blob(['abc']), 'a.txt');
    forms.push(['another file field', other]);
    const empty = new FormData();
    empty.append('', new Blob(['abc']), 'a.txt');
    forms.push(['an empty field name', empty]);
    const textField = new FormData();
    textField.append('file', 'not a file part');
    forms.push(['a text field named file', textField]);
    forms.push(['no part at all', new FormData()]);
    for (const [i, [what, form]] of forms.entries()) {
      const answer = await uploadForm(server.url, ann.token, 'files', form, `bad-multi-${i}`);
      assert.equal(answer.status, 400, what);
      assert.equal(answer.body.error.code, 'bad_request', what);
    }
    assert.equal(uploadsOf(server.dataDir).length, before);
  });

  test('a name is shown as its last path segment without control characters, and never becomes a path', async () => {
    const cases: Array<[string, string]> = [
      ['../../x', 'x'],
      ['a.gif\u0000.html', 'a.gif.html'],
      ['..\\..\\windows\\evil.txt', 'evil.txt'],
      ['invoice\u202egnp.exe', 'invoicegnp.exe'],
      ['/etc/passwd', 'passwd'],
    ];
    for (const [i, [name, shown]] of cases.entries()) {
      const answer = await upload(server.url, ann.token, 'files', 'plain text', {
        clientId: `name-${i}`,
        name,
        type: 'text/plain',
      });
      assert.equal(answer.status, 201, name);
      assert.equal(answer.body.message.file.name, shown);
      const got = await download(server.url, ann.token, answer.body.message.file.url);
      assert.equal(got.status, 200);
      assert.doesNotMatch(got.headers.get('content-disposition') ?? '', /[/\\]|%00|%2F|%5C/i);
    }
    // The URL-encoded NUL as a browser would send it in the query string.
    const response = await fetch(`${server.url}/rooms/files/files?clientId=name-nul&name=a.gif%00.html`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ann.token}`, 'content-type': 'text/plain' },
      body: 'x',
    });
    assert.equal(response.status, 201);
    const { message } = (await response.json()) as { message: { file: { name: string } } };
    assert.equal(message.file.name, 'a.gif.html');
    // The download name survives, percent-encoded as RFC 8187 wants (no bare ' ( ) *).
    const odd = await upload(server.url, ann.token, 'files', 'x', {
      clientId: 'name-odd',
      name: "it's (a) *test* é.txt",
    });
    const got = await download(server.url, ann.token, odd.body.message.file.url);
    const disposition = got.headers.get('content-disposition') ?? '';
    const match = /^attachment; filename\*=UTF-8''([A-Za-z0-9!#$&+\-.^_`|~%]+)$/.exec(disposition);
    assert.ok(match, disposition);
    assert.equal(decodeURIComponent(match[1] as string), "it's (a) *test* é.txt");
    // Blobs on disk are named by the server alone.
    for (const entry of uploadsOf(server.dataDir)) assert.match(entry, /^[a-z0-9]{32}$/);
  });

  test('downloads carry nosniff, a strong ETag answered with 304, and byte ranges', async () => {
    const bytes = Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 251));
    bytes.set([0x00, 0xff], 0);
    const answer = await upload(server.url, ann.token, 'files', bytes, { clientId: 'ranges', name: 'r.bin' });
    const url = answer.body.message.file.url as string;

    const full = await download(server.url, ann.token, url);
    assert.equal(full.status, 200);
    assert.equal(full.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(full.headers.get('content-length'), '1000');
    assert.equal(full.headers.get('accept-ranges'), 'bytes');
    const etag = full.headers.get('etag');
    assert.equal(etag, `"${sha256(bytes)}"`);

    const cached = await download(server.url, ann.token, url, { 'if-none-match': etag });
    assert.equal(cached.status, 304);
    assert.equal(cached.bytes.length, 0);
    const stale = await download(server.url, ann.token, url, { 'if-none-match': `"${'0'.repeat(64)}"` });
    assert.equal(stale.status, 200);

    const part = await download(server.url, ann.token, url, { range: 'bytes=100-199' });
    assert.equal(part.status, 206);
    assert.equal(part.headers.get('content-range'), 'bytes 100-199/1000');
    assert.deepEqual(part.bytes, bytes.subarray(100, 200));
    const tail = await download(server.url, ann.token, url, { range: 'bytes=-10' });
    assert.equal(tail.status, 206);
    assert.deepEqual(tail.bytes, bytes.subarray(990));
    const open = await download(server.url, ann.token, url, { range: 'bytes=995-' });
    assert.equal(open.headers.get('content-range'), 'bytes 995-999/1000');
    assert.deepEqual(open.bytes, bytes.subarray(995));

    const unsatisfiable = await download(server.url, ann.token, url, { range: 'bytes=5000-6000' });
    assert.equal(unsatisfiable.status, 416);
    assert.equal(unsatisfiable.headers.get('content-range'), 'bytes */1000');
  });

  test('a resent clientId answers 200 with the first message, one message and one blob', async () => {
    const first = await upload(server.url, ann.token, 'files', png(5, 5), { clientId: 'twice', name: 'a.png' });
    assert.equal(first.status, 201);
    const blobs = uploadsOf(server.dataDir).length;
    const again = await upload(server.url, ann.token, 'files', png(6, 6), { clientId: 'twice', name: 'b.png' });
    assert.equal(again.status, 200);
    assert.deepEqual(again.body.message, first.body.message);
    assert.equal(uploadsOf(server.dataDir).length, blobs);
    const history = await api(server.url, ann.token, '/history?room=files&limit=200');
    const same = history.body.messages.filter((m: { id: string }) => m.id === first.body.message.id);
    assert.equal(same.length, 1);
    assert.equal(history.body.messages.filter((m: { file?: { name: string } }) => m.file?.name === 'b.png').length, 0);
  });

  test('concurrent uploads with one clientId leave one message and one blob', async () => {
    const blobs = uploadsOf(server.dataDir).length;
    const answers = await Promise.all(
      [1, 2, 3].map((n) => upload(server.url, ann.token, 'files', png(n, n), { clientId: 'race', name: `${n}.png` })),
    );
    assert.deepEqual(answers.map((a) => a.status).sort(), [200, 200, 201]);
    for (const a of answers) assert.deepEqual(a.body.message, answers[0]?.body.message);
    await waitFor(() => uploadsOf(server.dataDir).length === blobs + 1, { what: 'one blob kept' });
  });

  test('text goes with the file, and the message frame reaches the room subscribers', async () => {
    const bob = await guest(server.url, 'Bob');
    const listener = await ChatClient.connect(server.url, bob.token);
    await listener.join('files');
    const answer = await upload(server.url, ann.token, 'files', png(2, 2), {
      clientId: 'frame',
      name: 'f.png',
      text: 'look',
    });
    assert.equal(answer.status, 201);
    assert.equal(answer.body.message.text, 'look');
    const frame = await listener.next('message', (f) => f.message.id === answer.body.message.id);
    assert.deepEqual(frame.message, answer.body.message);
    listener.close();
  });

  test('a session cookie authenticates uploads and downloads', async () => {
    const dee = await guestWithCookie(server.url, 'Dee');
    const response = await fetch(`${server.url}${uploadPath('files', { clientId: 'cookie', name: 'c.png' })}`, {
      method: 'POST',
      headers: { cookie: dee.cookie, 'content-type': 'image/png' },
      body: png(1, 1),
    });
    assert.equal(response.status, 201);
    const { message } = (await response.json()) as { message: { file: { url: string } } };
    const got = await fetch(`${server.url}${message.file.url}`, { headers: { cookie: dee.cookie } });
    assert.equal(got.status, 200);
    assert.deepEqual(Buffer.from(await got.arrayBuffer()), png(1, 1));
  });
});

describe('files: permissions', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  test('only readers of a private room may upload to it and download from it', async () => {
    const ann = await guest(server.url, 'Ann');
    const bob = await guest(server.url, 'Bob');
    const eve = await guest(server.url, 'Eve');
    const owner = await createRoom(server.url, ann.token, 'vault', 'private');
    const before = uploadsOf(server.dataDir).length;

    const refused = await upload(server.url, eve.token, 'vault', png(2, 2), { clientId: 'in', name: 'x.png' });
    assert.equal(refused.status, 403);
    assert.equal(refused.body.error.code, 'forbidden');
    const missing = await upload(server.url, eve.token, 'no-such-room', png(2, 2), { clientId: 'in2', name: 'x.png' });
    assert.equal(missing.status, 403, 'a missing room is refused like a private one');
    assert.equal(uploadsOf(server.dataDir).length, before);

    const stored = await upload(server.url, ann.token, 'vault', png(2, 2), { clientId: 'in', name: 'x.png' });
    assert.equal(stored.status, 201);
    const url = stored.body.message.file.url as string;
    const history = await api(server.url, ann.token, '/history?room=vault');
    assert.equal(history.body.messages.length, 1, 'the refused upload sent nothing');

    assert.equal((await download(server.url, eve.token, url)).status, 403);
    assert.equal((await download(server.url, bob.token, url)).status, 403);
    const invited = await api(server.url, ann.token, '/rooms/vault/invites', {
      method: 'POST',
      body: JSON.stringify({ userId: bob.user.id }),
    });
    assert.equal(invited.status, 201);
    const member = await ChatClient.connect(server.url, bob.token);
    await member.join('vault');
    const got = await download(server.url, bob.token, url);
    assert.equal(got.status, 200);
    assert.deepEqual(got.bytes, png(2, 2));
    owner.close();
    member.close();
  });

  test('an unknown file id is refused like a forbidden one', async () => {
    const ann = await guest(server.url, 'Ann');
    const got = await download(server.url, ann.token, '/files/nosuchfileid0000000000000');
    assert.equal(got.status, 403);
    assert.equal(JSON.parse(got.bytes.toString()).error.code, 'forbidden');
  });

  test('without credentials, uploads and downloads are unauthenticated (401)', async () => {
    const ann = await guest(server.url, 'Ann');
    const before = uploadsOf(server.dataDir).length;
    const refused = await upload(server.url, undefined, 'lobby', png(2, 2), { clientId: 'anon', name: 'x.png' });
    assert.equal(refused.status, 401);
    assert.equal(refused.body.error.code, 'unauthenticated');
    assert.equal(uploadsOf(server.dataDir).length, before);
    const stored = await upload(server.url, ann.token, 'lobby', png(2, 2), { clientId: 'anon', name: 'x.png' });
    assert.equal(stored.status, 201);
    assert.equal((await download(server.url, undefined, stored.body.message.file.url)).status, 401);
    assert.equal((await download(server.url, 'not-a-token', stored.body.message.file.url)).status, 401);
  });
});

describe('files: the size limit', () => {
  const limit = 1_000_000;
  let server: TestServer;
  let ann: AuthAnswer;
  before(async () => {
    server = await startTestServer({ env: { MAX_FILE_BYTES: String(limit) } });
    ann = await guest(server.url, 'Ann');
  });
  after(() => server.close());

  async function assertNothingStored(clientName: string) {
    assert.deepEqual(uploadsOf(server.dataDir), [], 'no blob and no .part file');
    const history = await api(server.url, ann.token, '/history?room=lobby');
    assert.equal(
      history.body.messages.filter((m: { file?: { name: string } }) => m.file?.name === clientName).length,
      0,
    );
  }

  test('a chunked body over the limit is cut mid-stream: 413 too_large, nothing stored', async () => {
    const body = generatedBody(2_000_000);
    const answer = await streamRequest(
      server.url,
      uploadPath('lobby', { clientId: 'big', name: 'big.bin' }),
      body.stream,
      {
        authorization: `Bearer ${ann.token}`,
        'content-type': 'application/octet-stream',
      },
    );
    assert.equal(answer.status, 413);
    assert.equal(answer.body.error.code, 'too_large');
    await assertNothingStored('big.bin');
  });

  test('a declared Content-Length over the limit is refused before the body is read', async () => {
    // Only a first chunk is ever sent: the answer must come without the rest.
    const first = Readable.from([Buffer.alloc(1024)]);
    const neverEnding = new Readable({ read() {} });
    first.on('data', (chunk) => neverEnding.push(chunk));
    const answer = await streamRequest(
      server.url,
      uploadPath('lobby', { clientId: 'declared', name: 'declared.bin' }),
      neverEnding,
      {
        authorization: `Bearer ${ann.token}`,
        'content-type': 'application/octet-stream',
        'content-length': 5_000_000,
      },
    );
    assert.equal(answer.status, 413);
    assert.equal(answer.body.error.code, 'too_large');
    await assertNothingStored('declared.bin');
  });

  test('a body just over the limit with an honest Content-Length is refused too', async () => {
    const answer = await upload(server.url, ann.token, 'lobby', Buffer.alloc(limit + 1, 'a'), {
      clientId: 'plus-one',
      name: 'plus-one.txt',
    });
    assert.equal(answer.status, 413);
    assert.equal(answer.body.error.code, 'too_large');
    await assertNothingStored('plus-one.txt');
  });

  test('a multipart file over the limit is 413 too_large, nothing stored', async () => {
    const form = new FormData();
    form.append('file', new Blob([Buffer.alloc(limit + 10, 'a')]), 'multi-big.txt');
    const response = await fetch(`${server.url}${uploadPath('lobby', { clientId: 'multi-big' })}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ann.token}` },
      body: form,
    });
    assert.equal(response.status, 413);
    assert.equal(((await response.json()) as { error: { code: string } }).error.code, 'too_large');
    await assertNothingStored('multi-big.txt');
  });

  test('an upload the client abandons midway leaves no .part file and no message', async () => {
    const source = new Readable({ read() {} });
    const req = request(`${server.url}${uploadPath('lobby', { clientId: 'abandoned', name: 'abandoned.bin' })}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ann.token}`, 'content-type': 'application/octet-stream' },
    });
    req.on('error', () => {});
    source.pipe(req);
    source.push(Buffer.alloc(200_000, 1));
    await waitFor(() => uploadsOf(server.dataDir).some((entry) => entry.endsWith('.part')), {
      what: 'the upload under way',
    });
    req.destroy();
    await waitFor(() => uploadsOf(server.dataDir).length === 0, { what: 'the .part file removed' });
    await assertNothingStored('abandoned.bin');
  });

  test('a file of exactly the limit is accepted', async () => {
    const answer = await upload(server.url, ann.token, 'lobby', Buffer.alloc(limit, 'a'), {
      clientId: 'exact',
      name: 'exact.txt',
    });
    assert.equal(answer.status, 201);
    assert.equal(answer.body.message.file.size, limit);
  });

  test('the server keeps serving after refusals', async () => {
    const answer = await upload(server.url, ann.token, 'lobby', 'still here', { clientId: 'after', name: 'after.txt' });
    assert.equal(answer.status, 201);
  });
});

describe('files: streaming', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  test('a 20 MiB upload streams to disk without being held in memory, and downloads intact', async () => {
    const gc = exposedGc();
    const ann = await guest(server.url, 'Ann');
    const size = 20 * MiB;
    const chunkSize = 64 * 1024;
    // Client and server share this process, but the client makes its body
    // lazily, a chunk at a time: live memory growth beyond that is the server's.
    // It is measured when the server has all but the last chunk: a server that
    // buffered would then hold nearly 20 MiB, and would not have written it to disk.
    let growth = Infinity;
    const body = generatedBody(size, {
      chunkSize,
      beforeLastChunk: async () => {
        await waitFor(() => partBytes(server.dataDir) >= size - chunkSize, {
          timeoutMs: 30_000,
          what: 'all but the last chunk written to the .part file',
        });
        growth = settledLiveBytes(gc) - baseline;
      },
    });
    const baseline = settledLiveBytes(gc);
    const answer = await streamRequest(
      server.url,
      uploadPath('lobby', { clientId: 'huge', name: 'huge.bin' }),
      body.stream,
      {
        authorization: `Bearer ${ann.token}`,
        'content-type': 'application/octet-stream',
      },
    );
    assert.equal(answer.status, 201, JSON.stringify(answer.body));
    assert.equal(answer.body.message.file.size, size);
    assert.ok(growth < 12 * MiB, `live memory grew by ${(growth / MiB).toFixed(1)} MiB during a 20 MiB upload`);

    const response = await fetch(`${server.url}${answer.body.message.file.url}`, {
      headers: { authorization: `Bearer ${ann.token}` },
    });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-length'), String(size));
    const hash = createHash('sha256');
    let received = 0;
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      hash.update(chunk);
      received += chunk.length;
    }
    assert.equal(received, size);
    assert.equal(hash.digest('hex'), body.sha256());
    assert.equal(response.headers.get('etag'), `"${body.sha256()}"`);
  });
});

describe('files: closing the server', () => {
  test('a download still streaming when the server closes does not hold the close up for the keep-alive timeout', async () => {
    const server = await startTestServer();
    const ann = await guest(server.url, 'Ann');
    // Larger than the socket buffers, so that the response is still under way at close.
    const size = 16 * MiB;
    const body = generatedBody(size);
    const stored = await streamRequest(
      server.url,
      uploadPath('lobby', { clientId: 'big', name: 'big.bin' }),
      body.stream,
      {
        authorization: `Bearer ${ann.token}`,
        'content-type': 'application/octet-stream',
      },
    );
    assert.equal(stored.status, 201);

    const agent = new Agent({ keepAlive: true });
    const response = await new Promise<IncomingMessage>((resolve, reject) => {
      const req = request(`${server.url}${stored.body.message.file.url}`, {
        agent,
        headers: { authorization: `Bearer ${ann.token}` },
      });
      req.on('response', resolve).on('error', reject).end();
    });
    assert.equal(response.statusCode, 200);
    const closed = server.close();
    const hash = createHash('sha256');
    for await (const chunk of response) hash.update(chunk as Buffer);
    assert.equal(hash.digest('hex'), body.sha256());
    // Without reaping, the close waits for the keep-alive timeout (72 s).
    await Promise.race([
      closed,
      new Promise((_resolve, reject) =>
        setTimeout(() => reject(new Error('the close waited on the finished download')), 20_000).unref(),
      ),
    ]);
    agent.destroy();
  });
});

/** The heap and the buffers outside it that are still reachable (measured after a collection). */
/** Live bytes after collections settle: one GC can leave garbage a busy machine made meanwhile. */
function settledLiveBytes(gc: () => void): number {
  gc();
  gc();
  return liveBytes();
}

function liveBytes(): number {
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.arrayBuffers;
}

/** The bytes in .part files: what the disk blob store has written of uploads still under way. */
function partBytes(dataDir: string): number {
  return uploadsOf(dataDir)
    .filter((entry) => entry.endsWith('.part'))
    .reduce((sum, entry) => sum + statSync(path.join(dataDir, 'uploads', entry)).size, 0);
}

function exposedGc(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}
