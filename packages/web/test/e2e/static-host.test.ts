import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildClient } from './helpers/build-client.ts';
import { messageItem, say, shownTexts } from './helpers/browser.ts';
import { suiteChat } from './helpers/chat.ts';

describe('the client hosted on another origin', () => {
  // `localhost` for the page and 127.0.0.1 for the API: different sites, so no cookie helps.
  const chat = suiteChat(() => buildClient('static'), { crossOrigin: true });

  test('finds the API through config.json and chats with its token', async () => {
    const gus = await chat.signIn('Gus');
    await say(gus, 'from a static host');
    await messageItem(gus, 'from a static host').locator('time').waitFor();
    await gus.page.reload();
    await messageItem(gus, 'from a static host').waitFor();
    assert.deepEqual(await shownTexts(gus), ['from a static host']);
    await gus.context.close();
  });

  test('fetches a part split off the first load (the search dialog) from the static host too', async () => {
    const ida = await chat.signIn('Ida');
    await ida.page.keyboard.press('Control+k');
    await ida.page.getByRole('dialog', { name: 'Search messages' }).getByRole('combobox').waitFor();
    await ida.context.close();
  });
});
