import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { freePort } from '../../../server/test/helpers/test-server.ts';
import { startSmtpServer, type SmtpServer } from '../../../server/test/helpers/smtp-server.ts';
import { startOidcProvider, type TestOidcProvider } from '../../../server/test/helpers/oidc-provider.ts';
import { buildClient, setupTimeout } from './helpers/build-client.ts';
import { snap } from './helpers/browser.ts';
import { fillLogIn, inChat } from './helpers/accounts.ts';
import { startChat, type Chat } from './helpers/chat.ts';

const oldPassword = 'correct horse battery';
const newPassword = 'staple battery horse';

describe('password reset and single sign-on in the browser', () => {
  let smtp: SmtpServer;
  let provider: TestOidcProvider;
  let chat: Chat;
  before(async () => {
    smtp = await startSmtpServer();
    provider = await startOidcProvider();
    // The reset link and the OIDC redirect name the server's origin: its port is chosen first.
    const port = await freePort();
    const origin = `http://127.0.0.1:${port}`;
    provider.register(`${origin}/auth/oidc/callback`);
    chat = await startChat({
      dist: await buildClient('password-reset'),
      env: { ...smtp.env, ...provider.env, PORT: String(port), WEB_URL: origin },
    });
  }, setupTimeout);
  after(async () => {
    await chat?.close();
    await provider?.close();
    await smtp?.close();
  }, setupTimeout);

  test('forgot password: the form, the mail, the link’s page, then a log-in with the new password', async () => {
    const email = 'rosa@example.com';
    const registered = await fetch(`${chat.server.url}/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: oldPassword, name: 'Rosa' }),
    });
    assert.equal(registered.status, 201);

    const page = await chat.openApp('Rosa');
    await page.getByRole('tab', { name: 'Log in' }).click();
    await page.getByRole('button', { name: 'Forgot password?' }).click();
    await page.getByLabel('Email').fill(email);
    await page.getByRole('button', { name: 'Send reset link' }).click();
    await page.getByRole('status').getByText('If an account exists for this email').waitFor();
    await snap(page, 'password-reset-sent.png');

    const mail = await smtp.mailTo(email);
    const link = /(http\S+#reset=\S+)/.exec(mail.text)?.[1];
    assert.ok(link, mail.text);
    await page.goto(link);
    await page.getByRole('heading', { name: 'Choose a new password' }).waitFor();
    assert.equal(new URL(page.url()).search, '', 'the token left the address bar');
    await page.getByLabel('New password', { exact: true }).fill(newPassword);
    await page.getByLabel('New password again').fill(newPassword);
    await snap(page, 'password-reset-form.png');
    await page.getByRole('button', { name: 'Set password' }).click();
    await page.getByText('Your new password is set. Log in with it.').waitFor();

    await fillLogIn(page, email, oldPassword);
    await page.getByRole('alert').getByText('Wrong email or password.').waitFor();
    await page.getByLabel('Password').fill(newPassword);
    await page.getByRole('button', { name: 'Log in' }).click();
    await inChat(page);

    // The link again: it worked once.
    const second = await chat.openApp('Rosa again');
    await second.goto(link);
    await second.getByLabel('New password', { exact: true }).fill('another password 3');
    await second.getByLabel('New password again').fill('another password 3');
    await second.getByRole('button', { name: 'Set password' }).click();
    await second
      .getByRole('alert')
      .getByText(/invalid, used or expired/)
      .waitFor();
    await page.context().close();
    await second.context().close();
  });

  test('single sign-on: the button named by the server, the provider, back in the chat', async () => {
    const page = await chat.openApp('Sso');
    provider.signInAs({ sub: 'browser-sub', name: 'Sso Person', email: 'sso@example.com', email_verified: true });
    const button = page.getByRole('link', { name: 'Continue with Test SSO' });
    await button.waitFor();
    await snap(page, 'oidc-button.png');
    await button.click();
    const person = await inChat(page);
    await person.page.getByText('Sso Person').first().waitFor();
    await page.context().close();
  });

  test('single sign-on cancelled at the provider: back on the sign-in screen with the reason', async () => {
    const page = await chat.openApp('Cancel');
    const start = await fetch(`${chat.server.url}/auth/oidc`, { redirect: 'manual' });
    const state = new URL(start.headers.get('location') as string).searchParams.get('state') as string;
    const cookie = start.headers.getSetCookie()[0]?.split(';')[0] as string;
    // What the provider sends back when the person cancels; the browser carries its pending sign-in.
    const [name, value] = cookie.split('=') as [string, string];
    await page.context().addCookies([{ name, value, url: `${chat.server.url}/auth/oidc` }]);
    await page.goto(`${chat.server.url}/auth/oidc/callback?error=access_denied&state=${state}`);
    await page.getByRole('alert').getByText('Single sign-on failed. The sign-in was cancelled: start again.').waitFor();
    assert.equal(new URL(page.url()).search, '', 'the reason left the address bar');
    await page.context().close();
  });
});
