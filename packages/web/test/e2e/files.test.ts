import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Locator, Page } from 'playwright-core';
import type { HistoryAnswer, Message } from '@pockychat/protocol';
import type { TestServer } from '../../../server/test/helpers/test-server.ts';
import { waitFor } from '../../../server/test/helpers/wait-for.ts';
import { buildClient, setupTimeout } from './helpers/build-client.ts';
import { launchBrowser, signIn, snap, type Person } from './helpers/browser.ts';
import { startChat, type Chat } from './helpers/chat.ts';

// Small, so a "too large" file is quick to make; the GIFs and test files stay well under it.
const MAX_FILE_BYTES = 200_000;
const fakeCamera = '--use-fake-device-for-media-stream';
const acceptCamera = '--use-fake-ui-for-media-stream';

/**
 * The page's CSP (connect-src 'self' ws: wss:) rightly keeps the app from fetching blob: URLs;
 * the test lifts it for one page so it can read the bytes behind an object URL.
 */
async function allowBlobFetch(person: Person): Promise<void> {
  const cdp = await person.context.newCDPSession(person.page);
  await cdp.send('Page.setBypassCSP', { enabled: true });
  await person.page.reload();
  await person.composer.waitFor();
}

/** The bytes behind an <img> blob URL, read in the page that made it. */
async function firstBytes(page: Page, element: Locator, count: number): Promise<string> {
  const url = await element.getAttribute('src');
  assert.ok(url, 'src is set');
  assert.ok(url.startsWith('blob:'), `src is an object URL, got ${url}`);
  return page.evaluate(
    async ([blobUrl, n]) => {
      const bytes = new Uint8Array(await (await fetch(blobUrl)).arrayBuffer());
      return String.fromCharCode(...bytes.subarray(0, n));
    },
    [url, count] as const,
  );
}

async function tokenOf(person: Person): Promise<string> {
  const token = await person.page.evaluate(() => localStorage.getItem('pockychat.token'));
  assert.ok(token);
  return token;
}

/** The lobby's history through the API, as the person sees it. */
async function lobbyHistory(server: TestServer, person: Person): Promise<Message[]> {
  const response = await fetch(`${server.url}/history?room=lobby&limit=100`, {
    headers: { authorization: `Bearer ${await tokenOf(person)}` },
  });
  assert.equal(response.status, 200);
  return ((await response.json()) as HistoryAnswer).messages;
}

describe('sharing files and GIFs', () => {
  let chat: Chat;
  before(async () => {
    const dist = await buildClient('files');
    const env = { MAX_FILE_BYTES: String(MAX_FILE_BYTES) };
    chat = await startChat({ dist, env, browserArgs: [fakeCamera, acceptCamera] });
  }, setupTimeout);
  after(() => chat?.close(), setupTimeout);

  test('a recorded GIF arrives in the other browser as a GIF', async () => {
    const ann = await chat.signIn('Ann');
    const bob = await chat.signIn('Bob');
    await allowBlobFetch(bob);

    await ann.page.getByRole('button', { name: 'Record GIF' }).click();
    const dialog = ann.page.getByRole('dialog', { name: 'Record a GIF' });
    await dialog.getByText('Recording in 2…').waitFor();
    await snap(ann.page, 'files-gif-countdown.png');
    await dialog.getByRole('button', { name: 'Stop' }).waitFor();
    const recorded = dialog.getByRole('progressbar', { name: 'Recorded' });
    const send = dialog.getByRole('button', { name: 'Send GIF' });
    // Half-way through for the screenshot; on a loaded machine the recording may be over already.
    await waitFor(
      async () => (await send.isVisible()) || Number(await recorded.getAttribute('value', { timeout: 200 })) >= 1500,
      { timeoutMs: 10_000, what: 'half the recording' },
    );
    await snap(ann.page, 'files-gif-recording.png');

    // No Stop: the recording ends by itself after 3 s, then the worker encodes it.
    await send.waitFor({ timeout: 20_000 });
    const result = dialog.getByRole('img', { name: 'Your GIF' });
    assert.equal(await result.evaluate((img: HTMLImageElement) => img.naturalWidth), 320);
    await snap(ann.page, 'files-gif-result.png');
    await send.click();
    await dialog.waitFor({ state: 'hidden' });

    const gif = bob.log.getByRole('img', { name: /^gif-.*\.gif$/ });
    await waitFor(async () => (await gif.getAttribute('src'))?.startsWith('blob:') === true, {
      timeoutMs: 15_000,
      what: "the GIF in Bob's log",
    });
    assert.equal(await firstBytes(bob.page, gif, 4), 'GIF8');
    assert.equal(await gif.evaluate((img: HTMLImageElement) => img.naturalWidth), 320);

    // And as stored: an image/gif of the captured size, whose bytes are a GIF.
    const message = (await lobbyHistory(chat.server, bob)).find((m) => m.file?.name.endsWith('.gif'));
    const file = message?.file;
    assert.ok(file);
    assert.equal(file.type, 'image/gif');
    assert.equal(message?.text, '');
    assert.deepEqual([file.width, file.height], [320, 240]);
    const download = await fetch(new URL(file.url, chat.server.url), {
      headers: { authorization: `Bearer ${await tokenOf(bob)}` },
    });
    assert.equal(
      Buffer.from(await download.arrayBuffer())
        .subarray(0, 4)
        .toString('latin1'),
      'GIF8',
    );

    // The sender sees it acknowledged (with its time), once.
    const annsGif = ann.log.locator('li.message').filter({ has: ann.page.getByRole('img', { name: file.name }) });
    await annsGif.locator('time').waitFor();
    assert.equal(await annsGif.count(), 1);
    await bob.page.mouse.move(0, 0);
    await snap(bob.page, 'files-gif-log.png');

    await ann.context.close();
    await bob.context.close();
  });

  test('on a phone, Stop ends a recording early, and Discard sends nothing', async () => {
    const cleo = await chat.signIn('Cleo', { width: 390, height: 844 });
    const before = (await lobbyHistory(chat.server, cleo)).length;
    await cleo.page.getByRole('button', { name: 'Record GIF' }).click();
    const dialog = cleo.page.getByRole('dialog', { name: 'Record a GIF' });
    await dialog.getByRole('button', { name: 'Stop' }).click({ timeout: 10_000 });
    await dialog.getByRole('button', { name: 'Send GIF' }).waitFor({ timeout: 15_000 });
    // Stopped after at most a few frames of the 30 a full recording has.
    const size = await dialog.getByText(/Your GIF · /).textContent();
    assert.match(size ?? '', /Your GIF · \d/);
    await snap(cleo.page, 'files-gif-phone.png');
    await dialog.getByRole('button', { name: 'Discard' }).click();
    await dialog.waitFor({ state: 'hidden' });
    assert.equal((await lobbyHistory(chat.server, cleo)).length, before);
    await cleo.context.close();
  });

  test('attach a picture, a text file and one too large', async () => {
    const ann = await chat.signIn('Ann2');
    const bob = await chat.signIn('Bob2');
    await allowBlobFetch(bob);

    // A real PNG: a corner of the page, 64 × 48.
    const png = await ann.page.screenshot({ clip: { x: 0, y: 0, width: 64, height: 48 } });
    const chooser = ann.page.waitForEvent('filechooser');
    await ann.page.getByRole('button', { name: 'Attach file' }).click();
    await (await chooser).setFiles({ name: 'corner.png', mimeType: 'image/png', buffer: png });
    const picture = bob.log.getByRole('img', { name: 'corner.png' });
    await waitFor(async () => (await picture.evaluate((img: HTMLImageElement) => img.naturalWidth)) === 64, {
      timeoutMs: 15_000,
      what: 'the picture to load',
    });
    assert.equal(await firstBytes(bob.page, picture, 4), '\x89PNG');

    const notes = 'hello notes';
    await ann.page
      .locator('input[type=file]')
      .setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from(notes) });
    const link = bob.log.getByRole('link', { name: /notes\.txt/ });
    await link.waitFor();
    assert.match((await link.textContent()) ?? '', /notes\.txt\s*11 bytes/);
    const saving = bob.page.waitForEvent('download');
    await link.click();
    const saved = await saving;
    assert.equal(saved.suggestedFilename(), 'notes.txt');
    const stream = await saved.createReadStream();
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    assert.equal(Buffer.concat(chunks).toString(), notes);
    await bob.page.mouse.move(0, 0);
    await snap(bob.page, 'files-download.png');

    await ann.page
      .locator('input[type=file]')
      .setInputFiles({ name: 'big.bin', mimeType: 'application/octet-stream', buffer: Buffer.alloc(300_000, 7) });
    const refused = ann.log.locator('li.message--failed').filter({ hasText: 'big.bin' });
    await refused.getByText('File too large (max 195 KB)').waitFor({ timeout: 15_000 });
    await snap(ann.page, 'files-too-large.png');
    await refused.getByRole('button', { name: 'Discard' }).click();
    await refused.waitFor({ state: 'detached' });
    assert.equal((await lobbyHistory(chat.server, ann)).filter((m) => m.file?.name === 'big.bin').length, 0);

    await ann.context.close();
    await bob.context.close();
  });

  test('drop a file onto the room', async () => {
    const dee = await chat.signIn('Dee');
    const room = dee.page.getByRole('main');
    const transfer = await dee.page.evaluateHandle(() => {
      const data = new DataTransfer();
      data.items.add(new File(['dropped text'], 'dropped.txt', { type: 'text/plain' }));
      return data;
    });
    await room.dispatchEvent('dragenter', { dataTransfer: transfer });
    await room.dispatchEvent('dragover', { dataTransfer: transfer });
    await dee.page.getByText('Drop to share in #lobby').waitFor();
    await snap(dee.page, 'files-drop.png');
    await room.dispatchEvent('drop', { dataTransfer: transfer });
    await dee.page.getByText('Drop to share in #lobby').waitFor({ state: 'hidden' });
    await dee.log.getByRole('link', { name: /dropped\.txt/ }).waitFor({ timeout: 15_000 });
    await dee.context.close();
  });

  test('an upload shows its progress and can be cancelled', async () => {
    const eve = await chat.signIn('Eve');
    // A slow uplink (about 16 KB/s), so the upload is still running when Cancel is pressed.
    const cdp = await eve.context.newCDPSession(eve.page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 0,
      downloadThroughput: -1,
      uploadThroughput: 16 * 1024,
    });
    await eve.page
      .locator('input[type=file]')
      .setInputFiles({ name: 'slow.bin', mimeType: 'application/octet-stream', buffer: Buffer.alloc(150_000, 1) });
    const bar = eve.log.getByRole('progressbar', { name: 'Uploading slow.bin' });
    await waitFor(async () => Number(await bar.getAttribute('value', { timeout: 200 })) > 0, {
      timeoutMs: 15_000,
      what: 'upload progress',
    });
    await snap(eve.page, 'files-upload-progress.png');
    await eve.log.getByRole('button', { name: 'Cancel upload' }).click();
    await bar.waitFor({ state: 'detached' });
    assert.equal(await eve.log.getByText('slow.bin').count(), 0);
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 0,
      downloadThroughput: -1,
      uploadThroughput: -1,
    });
    assert.equal((await lobbyHistory(chat.server, eve)).filter((m) => m.file?.name === 'slow.bin').length, 0);
    await eve.context.close();
  });

  test('a network failure shows as failed, and Retry sends it once', async () => {
    const fay = await chat.signIn('Fay');
    await fay.page.route('**/rooms/*/files?*', (route) => route.abort('failed'));
    await fay.page
      .locator('input[type=file]')
      .setInputFiles({ name: 'retry.txt', mimeType: 'text/plain', buffer: Buffer.from('again') });
    const failed = fay.log.locator('li.message--failed').filter({ hasText: 'retry.txt' });
    await failed.getByText(/could not be reached/).waitFor({ timeout: 15_000 });
    await fay.page.unroute('**/rooms/*/files?*');
    await failed.getByRole('button', { name: 'Retry' }).click();
    await fay.log.getByRole('link', { name: /retry\.txt/ }).waitFor({ timeout: 15_000 });
    assert.equal((await lobbyHistory(chat.server, fay)).filter((m) => m.file?.name === 'retry.txt').length, 1);
    await fay.context.close();
  });
});

describe('the camera refused or missing', () => {
  let chat: Chat;
  let cameraless: Browser;

  before(async () => {
    // Without the fake UI flag, the permission prompt cannot be answered headless: it is denied.
    chat = await startChat({ dist: await buildClient('files-camera'), browserArgs: [fakeCamera] });
    // With the fake UI but no fake device, there is no camera at all.
    cameraless = await launchBrowser([acceptCamera]);
  }, setupTimeout);

  after(async () => {
    await cameraless?.close();
    await chat?.close();
  }, setupTimeout);

  test('a denied permission says so', async () => {
    const gus = await chat.signIn('Gus');
    await gus.page.getByRole('button', { name: 'Record GIF' }).click();
    const dialog = gus.page.getByRole('dialog', { name: 'Record a GIF' });
    await dialog
      .getByRole('alert')
      .getByText(/Camera permission was denied/)
      .waitFor({ timeout: 15_000 });
    await snap(gus.page, 'files-camera-denied.png');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await gus.context.close();
  });

  test('no camera says so', async () => {
    const hal = await signIn(cameraless, chat.server.url, 'Hal');
    await hal.page.getByRole('button', { name: 'Record GIF' }).click();
    const dialog = hal.page.getByRole('dialog', { name: 'Record a GIF' });
    await dialog
      .getByRole('alert')
      .getByText(/No camera found/)
      .waitFor({ timeout: 15_000 });
    await hal.context.close();
  });
});

describe('files with the client hosted on another origin', () => {
  let chat: Chat;
  before(async () => {
    const dist = await buildClient('files-static');
    // `localhost` for the page and 127.0.0.1 for the API: no cookie helps, only the token.
    chat = await startChat({ dist, crossOrigin: true, browserArgs: [fakeCamera, acceptCamera] });
  }, setupTimeout);
  after(() => chat?.close(), setupTimeout);

  test('uploads with the token, and shows and saves files fetched with it', async () => {
    const ivy = await chat.signIn('Ivy');
    const jon = await chat.signIn('Jon');
    const png = await ivy.page.screenshot({ clip: { x: 0, y: 0, width: 40, height: 30 } });
    await ivy.page.locator('input[type=file]').setInputFiles([
      { name: 'far.png', mimeType: 'image/png', buffer: png },
      { name: 'far.txt', mimeType: 'text/plain', buffer: Buffer.from('from afar') },
    ]);
    const picture = jon.log.getByRole('img', { name: 'far.png' });
    await waitFor(async () => (await picture.evaluate((img: HTMLImageElement) => img.naturalWidth)) === 40, {
      timeoutMs: 15_000,
      what: 'the picture to load across origins',
    });
    const saving = jon.page.waitForEvent('download');
    await jon.log.getByRole('link', { name: /far\.txt/ }).click();
    assert.equal((await saving).suggestedFilename(), 'far.txt');

    // The encoder worker loads from the static host too.
    await jon.page.getByRole('button', { name: 'Record GIF' }).click();
    const dialog = jon.page.getByRole('dialog', { name: 'Record a GIF' });
    await dialog.getByRole('button', { name: 'Stop' }).click({ timeout: 10_000 });
    await dialog.getByRole('button', { name: 'Send GIF' }).click({ timeout: 15_000 });
    await ivy.log.getByRole('img', { name: /^gif-.*\.gif$/ }).waitFor({ timeout: 15_000 });
    await ivy.context.close();
    await jon.context.close();
  });
});
