import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { startTestServer, type TestServer } from '../../../server/test/helpers/test-server.ts';
import { buildClient, setupTimeout } from './helpers/build-client.ts';
import { launchBrowser, messageItem, say, shownTexts, signIn } from './helpers/browser.ts';
import { hostStatic, type StaticHost } from './helpers/static-host.ts';

describe('the client hosted on another origin', () => {
  let host: StaticHost;
  let server: TestServer;
  let browser: Browser;

  before(async () => {
    const dist = await buildClient('static');
    // `localhost` for the page and 127.0.0.1 for the API: different sites, so no cookie helps.
    host = await hostStatic(dist);
    server = await startTestServer({ env: { ALLOWED_ORIGINS: host.url } });
    await writeFile(path.join(dist, 'config.json'), JSON.stringify({ apiOrigin: server.url }));
    browser = await launchBrowser();
  }, setupTimeout);

  after(async () => {
    await browser?.close();
    await server?.close();
    await host?.close();
  }, setupTimeout);

  test('finds the API through config.json and chats with its token', async () => {
    const gus = await signIn(browser, host.url, 'Gus');
    await say(gus, 'from a static host');
    await messageItem(gus, 'from a static host').locator('time').waitFor();
    await gus.page.reload();
    await messageItem(gus, 'from a static host').waitFor();
    assert.deepEqual(await shownTexts(gus), ['from a static host']);
    await gus.context.close();
  });
});
