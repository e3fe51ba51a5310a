import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildClient, setupTimeout } from './helpers/build-client.ts';
import { messageItem, say, shownTexts } from './helpers/browser.ts';
import { startChat, type Chat } from './helpers/chat.ts';

describe('the client hosted on another origin', () => {
  let chat: Chat;
  // `localhost` for the page and 127.0.0.1 for the API: different sites, so no cookie helps.
  before(async () => (chat = await startChat({ dist: await buildClient('static'), crossOrigin: true })), setupTimeout);
  after(() => chat?.close(), setupTimeout);

  test('finds the API through config.json and chats with its token', async () => {
    const gus = await chat.signIn('Gus');
    await say(gus, 'from a static host');
    await messageItem(gus, 'from a static host').locator('time').waitFor();
    await gus.page.reload();
    await messageItem(gus, 'from a static host').waitFor();
    assert.deepEqual(await shownTexts(gus), ['from a static host']);
    await gus.context.close();
  });
});
