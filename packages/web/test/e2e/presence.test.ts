import { describe, test } from 'node:test';
import { roomMenu } from './helpers/accounts.ts';
import { buildClient } from './helpers/build-client.ts';
import { messageItem, say, snap } from './helpers/browser.ts';
import { suiteChat } from './helpers/chat.ts';

describe('presence in the browser', () => {
  const chat = suiteChat(() => buildClient('presence'));

  test('Ann sees Bob online in the members list and on their DM, live; Bob closes his browser and Ann sees him offline', async () => {
    const ann = await chat.signIn('Ann');
    const bob = await chat.signIn('Bob');
    await say(bob, 'Bob is here');
    await messageItem(ann, 'Bob is here').waitFor();
    const bobId = await bob.page.evaluate(async () => {
      const me = (await (await fetch('/me')).json()) as { user: { id: string } };
      return me.user.id;
    });

    await roomMenu(ann, 'Members');
    const members = ann.page.getByRole('dialog', { name: 'Members of #lobby' });
    const bobDot = members.locator(`[data-user-id="${bobId}"] .presence-dot`);
    await bobDot.and(ann.page.locator('[data-presence="online"]')).waitFor();
    await snap(ann.page, 'presence-members.png');
    await members.getByRole('button', { name: 'Close' }).click();

    // A DM with Bob: its entry in the sidebar carries Bob's dot too.
    await messageItem(ann, 'Bob is here').getByRole('button', { name: 'Bob' }).click();
    const dmDot = ann.page
      .getByRole('navigation', { name: 'Your rooms' })
      .locator('.room-link', { hasText: 'Bob' })
      .locator('.presence-dot');
    await dmDot.and(ann.page.locator('[data-presence="online"]')).waitFor();
    await snap(ann.page, 'presence-dm.png');

    await bob.context.close();
    await dmDot.and(ann.page.locator('[data-presence="offline"]')).waitFor();
    await ann.page.getByRole('navigation', { name: 'Your rooms' }).locator('.room-link', { hasText: 'lobby' }).click();
    await roomMenu(ann, 'Members');
    await bobDot.and(ann.page.locator('[data-presence="offline"]')).waitFor();
    await ann.context.close();
  });
});
