import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { createRoom, inChat, openApp, roomMenu } from './helpers/accounts.ts';
import { buildClient } from './helpers/build-client.ts';
import { messageItem, say, snap, type Person } from './helpers/browser.ts';
import { suiteChat } from './helpers/chat.ts';

/**
 * Invite links and group messages in the browser, with the client on a static host of another
 * origin than the API: the link is the client's own page with `?join=<code>`.
 */
describe('invite links in the browser', () => {
  const chat = suiteChat(() => buildClient('invite-link'), { crossOrigin: true });

  /** Makes a link in the room's invite dialog and returns its address, the dialog left open. */
  async function makeLink(owner: Person, expiry: string, uses: string) {
    await roomMenu(owner, 'Invite people');
    const dialog = owner.page.getByRole('dialog', { name: /^Invite to/ });
    await dialog.getByLabel('Expires after').selectOption({ label: expiry });
    await dialog.getByLabel('Can be used').selectOption({ label: uses });
    await dialog.getByRole('button', { name: 'Create link' }).click();
    const address = dialog.getByLabel('Invite link address');
    await address.waitFor();
    return { dialog, url: await address.inputValue() };
  }

  /** A new profile opening the link: the sign-in screen says why, then a guest sign-in. */
  async function openLink(url: string, name: string): Promise<Page> {
    const page = await openApp(chat.browser, url, name);
    await page.getByRole('status').getByText('You were sent an invite link').waitFor();
    assert.doesNotMatch(page.url(), /join=/, 'the code leaves the address bar');
    await page.getByLabel('Name', { exact: true }).fill(name);
    await page.getByRole('button', { name: 'Join as guest' }).click();
    return page;
  }

  test('the owner makes a link; someone else opens it, signs in, sees the room, joins and reads it', async () => {
    const ann = await chat.signIn('Ann');
    await createRoom(ann, 'plans', 'private');
    await say(ann, 'meet at noon');
    await messageItem(ann, 'meet at noon').locator('time').waitFor();
    const { dialog, url } = await makeLink(ann, '1 day', '10 uses');
    assert.ok(url.startsWith(`${chat.url}/?join=`), url);
    await dialog
      .getByRole('list', { name: 'Active links' })
      .getByText(/0 of 10 uses · expires/)
      .waitFor();
    await snap(ann.page, 'invite-link-share.png');
    await dialog.getByRole('button', { name: 'Done' }).click();

    const page = await openLink(url, 'Bob');
    const prompt = page.getByRole('dialog', { name: 'Invite link' });
    await prompt.getByText('#plans', { exact: true }).waitFor();
    await prompt.getByText('Private room · 1 member').waitFor();
    await snap(page, 'invite-link-preview.png');
    await prompt.getByRole('button', { name: 'Join #plans' }).click();
    const bob = await inChat(page);
    await page.getByRole('heading', { name: '#plans' }).waitFor();
    await messageItem(bob, 'meet at noon').waitFor();
    await say(ann, 'welcome, Bob');
    await messageItem(bob, 'welcome, Bob').waitFor();
    await say(bob, 'thanks!');
    await messageItem(ann, 'thanks!').waitFor();

    await page.reload();
    await page.getByRole('heading', { name: '#plans' }).waitFor();
    assert.equal(await page.getByRole('dialog', { name: 'Invite link' }).count(), 0, 'a link is used once per opening');
    await ann.context.close();
    await bob.context.close();
  });

  test('a revoked link shows why, and no Join button', async () => {
    const ann = await chat.signIn('Ann');
    await createRoom(ann, 'closed-club', 'private');
    const { dialog, url } = await makeLink(ann, 'Never', 'Unlimited');
    const list = dialog.getByRole('list', { name: 'Active links' });
    await list.getByText(/never expires/).waitFor();
    await list.getByRole('button', { name: /^Revoke the link made/ }).click();
    await list.waitFor({ state: 'detached' });
    await dialog.getByRole('button', { name: 'Done' }).click();

    const page = await openLink(url, 'Cat');
    const prompt = page.getByRole('dialog', { name: 'Invite link' });
    await prompt.getByRole('alert').getByText('This invite link was revoked. Ask for a new one.').waitFor();
    assert.equal(await prompt.getByRole('button', { name: /^Join/ }).count(), 0);
    await snap(page, 'invite-link-revoked.png');
    await prompt.getByText('Close', { exact: true }).click();
    const cat = await inChat(page);
    assert.equal(await cat.page.getByRole('button', { name: /closed-club/ }).count(), 0);
    await ann.context.close();
    await cat.context.close();
  });

  test('a group message of three: picked by name, named by its people, heard by all three', async () => {
    // Names of their own: the lobby's members from the tests before are candidates too.
    const [ann, bob, cat] = [await chat.signIn('Dora'), await chat.signIn('Eli'), await chat.signIn('Fay')];
    await say(bob, 'eli here');
    await say(cat, 'fay here');
    await messageItem(ann, 'fay here').waitFor();
    await messageItem(ann, 'eli here').waitFor();

    await ann.page.getByRole('button', { name: 'New group message' }).click();
    const picker = ann.page.getByRole('dialog', { name: 'New group message' });
    const start = picker.getByRole('button', { name: 'Start group' });
    await picker.getByLabel('Find people').fill('el');
    await picker.getByLabel('Eli (guest)').check();
    assert.equal(await start.isDisabled(), true, 'two people are a DM, not a group');
    await picker.getByLabel('Find people').fill('');
    await picker.getByLabel('Fay (guest)').check();
    await start.click();
    await ann.page.getByRole('heading', { name: 'Eli, Fay' }).waitFor();
    await ann.page.getByText('Group conversation of 3').waitFor();

    await bob.page.getByRole('button', { name: 'Dora, Fay' }).click();
    await cat.page.getByRole('button', { name: 'Dora, Eli' }).click();
    await say(ann, 'just the three of us');
    await messageItem(bob, 'just the three of us').waitFor();
    await messageItem(cat, 'just the three of us').waitFor();
    await snap(bob.page, 'group-message.png');
    for (const p of [ann, bob, cat]) await p.context.close();
  });
});
