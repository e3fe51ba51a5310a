import { describe, test } from 'node:test';
import { buildClient } from './helpers/build-client.ts';
import { messageItem, say } from './helpers/browser.ts';
import { suiteChat } from './helpers/chat.ts';

describe('the room header member count in the browser', () => {
  const chat = suiteChat(() => buildClient('member-count'));

  test('follows someone joining the lobby and talking, though the server announces no joins', async () => {
    const ann = await chat.signIn('Ann');
    const subtitle = ann.page.locator('.room__subtitle');
    await subtitle.filter({ hasText: '1 member' }).waitFor();

    // Bob is on another computer: Ann's window never regains focus, which would read the directory again.
    await ann.page.evaluate(() => window.addEventListener('focus', (event) => event.stopImmediatePropagation(), true));
    const bob = await chat.signIn('Bob');
    await say(bob, 'Hi, Bob here');
    await messageItem(ann, 'Hi, Bob here').waitFor();
    await subtitle.filter({ hasText: '2 members' }).waitFor();

    await ann.context.close();
    await bob.context.close();
  });
});
