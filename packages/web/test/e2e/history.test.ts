import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { startTestServer, type TestServer } from '../../../server/test/helpers/test-server.ts';
import { ChatClient, guest } from '../../../server/test/helpers/clients.ts';
import { waitFor } from '../../../server/test/helpers/wait-for.ts';
import { buildClient, setupTimeout } from './helpers/build-client.ts';
import { launchBrowser, shownTexts, signIn, snap } from './helpers/browser.ts';

const total = 130;

describe('scrolling back through history', () => {
  let server: TestServer;
  let browser: Browser;

  before(async () => {
    const webDist = await buildClient('history');
    server = await startTestServer({ env: { WEB_DIST: webDist, RATE_LIMIT_MESSAGES: '1000' } });
    const { token } = await guest(server.url, 'Archivist');
    const bot = await ChatClient.connect(server.url, token);
    await bot.join('lobby');
    for (let i = 1; i <= total; i++) bot.send({ type: 'send', room: 'lobby', clientId: `c${i}`, text: `note ${i}` });
    await bot.next('ack', (ack) => ack.clientId === `c${total}`, 15_000);
    bot.close();
    browser = await launchBrowser();
  }, setupTimeout);

  after(async () => {
    await browser?.close();
    await server?.close();
  }, setupTimeout);

  test('pages older messages in with `before` until the start, each once and in order', async () => {
    const reader = await signIn(browser, server.url, 'Reader');
    await reader.log.getByText(`note ${total}`, { exact: true }).waitFor();
    const first = await shownTexts(reader);
    assert.ok(first.length < total, 'the first screen is one page, not the whole room');

    await waitFor(
      async () => {
        await reader.log.evaluate((el) => el.scrollTo({ top: 0 }));
        return reader.log.getByText('This is the very beginning', { exact: false }).isVisible();
      },
      { timeoutMs: 20_000, what: 'the start of the room' },
    );
    const expected = Array.from({ length: total }, (_, i) => `note ${i + 1}`);
    assert.deepEqual(await shownTexts(reader), expected);
    await snap(reader.page, 'history-top.png');
  });
});
