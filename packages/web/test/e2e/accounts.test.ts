import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cp } from 'node:fs/promises';
import path from 'node:path';
import { startFakeFacebook, type FakeFacebook } from '../../../server/test/helpers/oauth-provider.ts';
import { buildClient, resultsDir, setupTimeout } from './helpers/build-client.ts';
import { messageItem, say, snap, type Person } from './helpers/browser.ts';
import { createRoom, fillLogIn, fillSignUp, inChat, roomMenu } from './helpers/accounts.ts';
import { startChat, suiteChat, type Chat, type ChatOptions } from './helpers/chat.ts';

const password = 'correct horse battery';

/** An own message the server acknowledged (it shows its time). */
async function acked(person: Person, text: string): Promise<void> {
  await messageItem(person, text).locator('time').waitFor({ timeout: 15_000 });
}

function roomLink(person: Person, name: RegExp | string) {
  return person.page.getByRole('navigation').getByRole('button', { name });
}

// One build for the file; the static-host test copies it, since it adds its own config.json.
let built: Promise<string> | undefined;
const webDist = () => (built ??= buildClient('accounts'));

/** A fake Facebook, and a chat server that signs in through it; close() ends both. */
async function startFacebookChat(options: ChatOptions): Promise<Chat & { facebook: FakeFacebook }> {
  const facebook = await startFakeFacebook();
  try {
    const chat = await startChat({ ...options, env: { ...facebook.env, ...options.env } });
    return { ...chat, facebook, close: () => chat.close().then(() => facebook.close()) };
  } catch (error) {
    await facebook.close();
    throw error;
  }
}

describe('accounts, invites and private rooms in the browser', () => {
  const chat = suiteChat(webDist);

  test('a guest signs up and keeps room and messages; signs out, and logs in on another device', async () => {
    const gus = await chat.signIn('Gus');
    await createRoom(gus, 'gus-den', 'private');
    await say(gus, 'my den');
    await acked(gus, 'my den');
    const guestToken = await gus.page.evaluate(() => localStorage.getItem('pockychat.token'));

    await gus.page.getByRole('button', { name: 'Create account' }).click();
    const dialog = gus.page.getByRole('dialog', { name: 'Keep your chats' });
    assert.equal(await dialog.getByLabel('Display name').inputValue(), 'Gus', 'the guest name is offered');
    await snap(gus.page, 'accounts-upgrade-dialog.png');
    await fillSignUp(gus.page, { name: 'Gus', email: 'gus@example.com', password });

    // The same room and message, now as an account, on a socket with the new token.
    await gus.page.getByText('Account', { exact: true }).waitFor();
    await gus.page.getByRole('heading', { name: '#gus-den' }).waitFor();
    await messageItem(gus, 'my den').waitFor();
    assert.match((await roomLink(gus, /gus-den/).textContent()) ?? '', /private/);
    const accountToken = await gus.page.evaluate(() => localStorage.getItem('pockychat.token'));
    assert.notEqual(accountToken, guestToken);
    const stale = await fetch(`${chat.server.url}/me`, { headers: { Authorization: `Bearer ${guestToken}` } });
    assert.equal(stale.status, 401, "the guest's token ended");
    await say(gus, 'still me');
    await acked(gus, 'still me');

    await gus.page.getByRole('button', { name: 'Sign out' }).click();
    await gus.page.getByRole('button', { name: 'Join as guest' }).waitFor();
    assert.equal(await gus.page.evaluate(() => localStorage.getItem('pockychat.token')), null);
    const revoked = await fetch(`${chat.server.url}/me`, { headers: { Authorization: `Bearer ${accountToken}` } });
    assert.equal(revoked.status, 401, 'sign-out revoked the token');
    await gus.context.close();

    // Another browser: nothing remembered locally, the rooms come from the server.
    const page = await chat.openApp('Gus again');
    await fillLogIn(page, 'gus@example.com', password);
    const again = await inChat(page);
    await roomLink(again, /gus-den/).click();
    await messageItem(again, 'my den').waitFor();
    await messageItem(again, 'still me').waitFor();
    await again.context.close();
  });

  test('sign-in mistakes are said plainly', async () => {
    await chat.signUp({ name: 'Hal', email: 'hal@example.com', password }).then((hal) => hal.context.close());
    const page = await chat.openApp('Mistakes');
    await fillLogIn(page, 'hal@example.com', 'not the password');
    const alert = page.getByRole('alert');
    await alert.getByText('Wrong email or password.').waitFor();

    await fillSignUp(page, { name: 'Hal two', email: 'hal@example.com', password: 'short' });
    await alert.getByText(/too short: use at least 10 characters/).waitFor();
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign up' }).click();
    await alert.getByText('An account with this email exists: log in instead.').waitFor();
    await snap(page, 'accounts-sign-up-error.png');

    await page.getByRole('tab', { name: 'Log in' }).click();
    await page.getByRole('tab', { name: 'Guest' }).click();
    await page.mouse.move(0, 0);
    await snap(page, 'accounts-sign-in.png');
    await page.context().close();
  });

  test('a private room: invite by email, join live, talk; others are refused; the owner removes', async () => {
    const ann = await chat.signUp({ name: 'Ann', email: 'ann@example.com', password });
    const bob = await chat.signUp({ name: 'Bob', email: 'bob@example.com', password });
    await createRoom(ann, 'secret', 'private');
    await say(ann, 'just us');
    await acked(ann, 'just us');

    await roomMenu(ann, 'Invite people');
    const invite = ann.page.getByRole('dialog', { name: 'Invite to #secret' });
    await invite.getByLabel('Invite by email').fill('bob@example.com');
    await invite.getByRole('button', { name: 'Send invite' }).click();
    await invite.getByRole('status').getByText('Invite sent to bob@example.com.').waitFor();
    await snap(ann.page, 'accounts-invite-dialog.png');
    await invite.getByRole('button', { name: 'Done' }).click();

    // Bob sees it live, in the sidebar, and joins.
    const join = bob.page.getByRole('button', { name: 'Join secret' });
    await join.waitFor();
    await bob.page.getByText('from Ann').waitFor();
    await snap(bob.page, 'accounts-invite-received.png');
    await join.click();
    await bob.page.getByRole('heading', { name: '#secret' }).waitFor();
    await messageItem(bob, 'just us').waitFor();
    await say(bob, 'hi Ann');
    await messageItem(ann, 'hi Ann').waitFor();
    await say(ann, 'hi Bob');
    await messageItem(bob, 'hi Bob').waitFor();
    assert.equal(await join.count(), 0, 'the invite is used up');

    // Cat, not invited, is refused; the room never shows for her.
    const cat = await chat.signIn('Cat');
    await cat.page.getByLabel('Room name').fill('secret');
    await cat.page.getByRole('button', { name: 'Join', exact: true }).click();
    await cat.page
      .getByRole('alert')
      .getByText(/Cannot join secret/)
      .waitFor();
    assert.equal(await roomLink(cat, /secret/).count(), 0);
    await snap(cat.page, 'accounts-refused.png');

    // The owner removes Bob from the members panel; Bob's client lets go of the room.
    await roomMenu(ann, 'Members');
    const members = ann.page.getByRole('dialog', { name: 'Members of #secret' });
    await members.getByText('Owner').waitFor();
    await snap(ann.page, 'accounts-members.png');
    await members.getByRole('button', { name: 'Remove Bob' }).click();
    await members.getByRole('button', { name: 'Remove Bob' }).waitFor({ state: 'detached' });
    await bob.page.getByRole('alert').getByText('You are no longer a member of secret.').waitFor();
    assert.equal(await roomLink(bob, /secret/).count(), 0);
    await members.getByRole('button', { name: 'Close' }).click();

    // Ann leaves for good: the room goes from her sidebar and stays gone after a reload.
    await roomMenu(ann, 'Leave room');
    await ann.page.getByRole('menuitem', { name: 'Leave for good' }).click();
    await roomLink(ann, /secret/).waitFor({ state: 'detached' });
    await ann.page.reload();
    await ann.composer.waitFor();
    assert.equal(await roomLink(ann, /secret/).count(), 0);

    for (const person of [ann, bob, cat]) await person.context.close();
  });

  test('a DM opened by someone else shows up at once', async () => {
    const dee = await chat.signIn('Dee');
    const eli = await chat.signIn('Eli');
    await say(eli, 'hello from Eli');
    await messageItem(dee, 'hello from Eli').getByRole('button', { name: /Eli/ }).click();
    await dee.page.getByRole('heading', { name: 'Eli' }).waitFor();
    await roomLink(eli, /Dee/).waitFor();
    await say(dee, 'psst');
    await roomLink(eli, /Dee/).click();
    await messageItem(eli, 'psst').waitFor();
    await dee.context.close();
    await eli.context.close();
  });
});

describe('Continue with Facebook, same origin (session cookie)', () => {
  let chat: Chat & { facebook: FakeFacebook };
  before(async () => (chat = await startFacebookChat({ dist: await webDist() })), setupTimeout);
  after(() => chat?.close(), setupTimeout);

  test('signs in through the provider and chats over the cookie; sign-out ends it', async () => {
    chat.facebook.signInAs({ id: '1000', name: 'Fay Book' });
    const page = await chat.openApp('Fay');
    await page.getByRole('link', { name: 'Continue with Facebook' }).click();
    const fay = await inChat(page);
    await page.getByText('Facebook account', { exact: true }).waitFor();
    await page.locator('.sidebar__me-name', { hasText: 'Fay Book' }).waitFor();
    assert.equal(await page.evaluate(() => localStorage.getItem('pockychat.token')), null, 'the cookie is enough');
    await say(fay, 'signed in with Facebook');
    await acked(fay, 'signed in with Facebook');
    await snap(page, 'accounts-facebook.png');

    await page.reload();
    await messageItem(fay, 'signed in with Facebook').waitFor();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Join as guest' }).waitFor();
    await page.reload();
    await page.getByRole('tab', { name: 'Guest' }).waitFor();
    assert.equal(await page.getByLabel('Message', { exact: true }).count(), 0, 'the cookie was revoked');
    await page.context().close();
  });

  test("a guest continues with Facebook and keeps the guest's messages", async () => {
    chat.facebook.signInAs({ id: '2000', name: 'Fox Book' });
    const fox = await chat.signIn('Fox');
    await say(fox, 'said as a guest');
    await acked(fox, 'said as a guest');
    await fox.page.getByRole('button', { name: 'Create account' }).click();
    await fox.page.getByRole('dialog').getByRole('link', { name: 'Continue with Facebook' }).click();
    // Back from the provider, the stored guest token no longer works: the cookie signs in.
    await fox.page.getByText('Facebook account', { exact: true }).waitFor();
    await messageItem(fox, 'said as a guest').waitFor();
    await say(fox, 'and now with Facebook');
    await acked(fox, 'and now with Facebook');
    await fox.context.close();
  });
});

describe('Continue with Facebook, client on another origin (token in the fragment)', () => {
  let chat: Chat & { facebook: FakeFacebook };
  before(async () => {
    const dist = path.join(resultsDir, 'dist-accounts-static');
    await cp(await webDist(), dist, { recursive: true });
    chat = await startFacebookChat({ dist, crossOrigin: true });
  }, setupTimeout);
  after(() => chat?.close(), setupTimeout);

  test('comes back with the token, keeps it, and takes it out of the address bar', async () => {
    chat.facebook.signInAs({ id: '3000', name: 'Flo Book' });
    const page = await chat.openApp('Flo');
    const link = page.getByRole('link', { name: 'Continue with Facebook' });
    assert.equal(
      await link.getAttribute('href'),
      `${chat.server.url}/auth/facebook?return=${encodeURIComponent(chat.url)}`,
    );
    await link.click();
    const flo = await inChat(page);
    await page.locator('.sidebar__me-name', { hasText: 'Flo Book' }).waitFor();
    assert.equal(new URL(page.url()).hash, '', 'no token left in the URL');
    assert.ok(await page.evaluate(() => localStorage.getItem('pockychat.token')));
    await say(flo, 'from another origin');
    await acked(flo, 'from another origin');
    await page.context().close();
  });
});

describe('Continue with Facebook on a server without it', () => {
  const chat = suiteChat(webDist);

  test('says so on the sign-in screen instead of leaving it', async () => {
    const page = await chat.openApp('Nobody');
    await page.getByRole('link', { name: 'Continue with Facebook' }).click();
    await page.getByRole('alert').getByText('Facebook sign-in is not set up on this server.').waitFor();
    assert.equal(new URL(page.url()).pathname, '/');
    await page.context().close();
  });
});
