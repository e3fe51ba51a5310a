import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { dmRoomName } from '@pockychat/protocol';
import { ChatClient, guest } from '../../../server/test/helpers/clients.ts';
import { waitFor } from '../../../server/test/helpers/wait-for.ts';
import { buildClient } from './helpers/build-client.ts';
import { messageItem, say, shownTexts, snap, type Person } from './helpers/browser.ts';
import { suiteChat } from './helpers/chat.ts';

const patience = { timeoutMs: 15_000 };

describe('two people chatting in the browser', () => {
  const chat = suiteChat(() => buildClient('chat'));

  test('talk, like, reload and see history once', async () => {
    const ann = await chat.signIn('Ann');
    const bob = await chat.signIn('Bob');

    await say(ann, 'Hello Bob');
    await messageItem(bob, 'Hello Bob').waitFor();

    // Typing shows on the other side before anything is sent.
    await bob.composer.pressSequentially('Hi');
    await ann.page.getByText('Bob is typing…').waitFor();
    await bob.composer.fill('');

    const risky = 'Hi Ann <b>bold</b> <img src=x onerror=alert(1)> see https://example.com/x and javascript:alert(1)';
    await say(bob, risky);
    // Raw HTML is shown as the text it is, never rendered.
    const shownRisky = risky;
    const item = messageItem(ann, shownRisky);
    await item.waitFor();
    assert.equal(await ann.log.locator('b, img').count(), 0, 'no HTML from a message is rendered');
    const link = item.getByRole('link', { name: 'https://example.com/x' });
    assert.equal(await link.getAttribute('href'), 'https://example.com/x');
    assert.equal(await link.getAttribute('rel'), 'noopener noreferrer nofollow');
    assert.equal(await link.getAttribute('target'), '_blank');
    assert.equal(await item.getByRole('link').count(), 1, 'javascript: is not a link');

    // A like is the reaction ❤️, seen live by the author; then taken back.
    await item.getByRole('button', { name: 'React with ❤️' }).click();
    const bobsHeart = messageItem(bob, shownRisky).getByRole('button', { name: /^❤️ 1/ });
    await bobsHeart.waitFor({ timeout: patience.timeoutMs });
    assert.equal(await item.getByRole('button', { name: /^❤️ 1/ }).getAttribute('aria-pressed'), 'true');
    await item.getByRole('button', { name: /^❤️ 1/ }).click();
    await waitFor(async () => (await messageItem(bob, shownRisky).locator('.reaction').count()) === 0, patience);

    await say(ann, 'Nice, talk later');
    await messageItem(bob, 'Nice, talk later').waitFor();
    await snap(ann.page, 'chat-desktop.png');

    // A reload shows the history, each message once, in order.
    await ann.page.reload();
    await messageItem(ann, 'Nice, talk later').waitFor();
    assert.deepEqual(await shownTexts(ann), ['Hello Bob', shownRisky, 'Nice, talk later']);

    await ann.context.close();
    await bob.context.close();
  });

  test('direct messages and new rooms', async () => {
    const fay = await chat.signIn('Fay');
    const cleo = await chat.signIn('Cleo');
    await say(fay, 'Fay here');
    await say(cleo, 'Anyone here?');

    // Fay opens a DM from Cleo's name on her message.
    await messageItem(fay, 'Anyone here?').getByRole('button', { name: /Cleo/ }).click();
    await fay.page.getByRole('heading', { name: 'Cleo' }).waitFor();
    await say(fay, 'Psst, Cleo');
    await messageItem(fay, 'Psst, Cleo').locator('time').waitFor();

    // Cleo opens the same DM from Fay's name and sees its history.
    await messageItem(cleo, 'Fay here').getByRole('button', { name: /Fay/ }).click();
    await messageItem(cleo, 'Psst, Cleo').waitFor();

    // Fay creates a public room; Cleo joins it by name and they talk there.
    await fay.page.getByLabel('Room name').fill('design');
    await fay.page.getByRole('button', { name: 'Join', exact: true }).click();
    await fay.page.getByRole('heading', { name: '#design' }).waitFor();
    await cleo.page.getByLabel('Room name').fill('design');
    await cleo.page.getByRole('button', { name: 'Join', exact: true }).click();
    await say(cleo, 'In design now');
    await messageItem(fay, 'In design now').waitFor();

    // Switching rooms keeps each room's own history.
    await fay.page.getByRole('navigation').getByRole('button', { name: /lobby/ }).click();
    await messageItem(fay, 'Anyone here?').waitFor();
    assert.equal(await messageItem(fay, 'In design now').count(), 0);
    await cleo.page.getByRole('navigation').getByRole('button', { name: /lobby/ }).click();
    await say(cleo, 'Lunch at noon? Menu: https://example.com/menu');
    await messageItem(fay, 'Lunch at noon? Menu: https://example.com/menu').waitFor();
    await fay.page.mouse.move(0, 0);
    await snap(fay.page, 'chat-rooms.png');

    await fay.context.close();
    await cleo.context.close();
  });

  test('a DM opened while you were away is there when you come back, named after its person', async () => {
    const ivo = await chat.signIn('Ivo');
    const ivoUser = await ivo.page.evaluate(
      async () => ((await (await fetch('/me')).json()) as { user: { id: string } }).user,
    );
    // Ivo's tab closes (the cookie stays); Jun opens a DM with him and says nothing yet.
    await ivo.page.close();
    const jun = await guest(chat.server.url, 'Jun');
    const juns = await ChatClient.connect(chat.server.url, jun.token);
    await juns.join(dmRoomName(ivoUser.id, jun.user.id));
    juns.close();

    const page = await ivo.context.newPage();
    await page.goto(chat.url);
    await page.getByRole('navigation').getByRole('button', { name: /Jun/ }).waitFor({ timeout: patience.timeoutMs });
    await ivo.context.close();
  });

  test('on a phone, the rooms are a drawer and the chat fits the screen', async () => {
    const dana = await chat.signIn('Dana', { width: 390, height: 844 });
    await say(dana, 'Typing from my phone, with a long line that has to wrap inside the bubble nicely.');
    await messageItem(dana, 'Typing from my phone, with a long line that has to wrap inside the bubble nicely.')
      .locator('time')
      .waitFor();
    const overflow = await dana.page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
    assert.equal(overflow, false, 'no sideways scrolling');
    await snap(dana.page, 'chat-phone.png');
    await dana.page.getByRole('button', { name: 'Show rooms' }).click();
    await dana.page.getByLabel('Room name').waitFor();
    await snap(dana.page, 'chat-phone-drawer.png');
    await dana.page.keyboard.press('Escape');
    await dana.page.getByLabel('Room name').waitFor({ state: 'hidden' });
    await dana.context.close();
  });
});

describe('a refused message', () => {
  const chat = suiteChat(() => buildClient('refused'), { env: { RATE_LIMIT_MESSAGES: '2', RATE_LIMIT_WINDOW_S: '2' } });

  test('is shown as failed with a Retry that sends it once', async () => {
    const eve: Person = await chat.signIn('Eve');
    await say(eve, 'one');
    await say(eve, 'two');
    await say(eve, 'three');
    const third = messageItem(eve, 'three');
    await third.getByRole('button', { name: 'Retry' }).waitFor();
    await snap(eve.page, 'chat-failed.png');

    // Past the window, the retry goes through with the same clientId.
    await waitFor(
      async () => {
        if ((await third.getByRole('button', { name: 'Retry' }).count()) > 0) {
          await third.getByRole('button', { name: 'Retry' }).click();
        }
        return (await third.locator('time').count()) === 1;
      },
      { timeoutMs: 15_000, what: 'the retried message to be acknowledged' },
    );
    assert.deepEqual(await shownTexts(eve), ['one', 'two', 'three']);
    await eve.context.close();
  });
});
