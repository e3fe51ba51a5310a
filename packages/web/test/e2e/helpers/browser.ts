import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { resultsDir } from './build-client.ts';

/** Debian's chromium, never a downloaded browser; extraArgs for a fake camera, say. */
export function launchBrowser(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      ...extraArgs,
    ],
  });
}

export interface Person {
  context: BrowserContext;
  page: Page;
  log: Locator;
  composer: Locator;
}

/**
 * A new browser profile that opens the app and signs in as a guest;
 * `prepare` sets the profile up first (routes, permissions, init scripts).
 */
export async function signIn(
  browser: Browser,
  url: string,
  name: string,
  viewport = { width: 1280, height: 800 },
  prepare?: (context: BrowserContext) => Promise<unknown>,
): Promise<Person> {
  const context = await browser.newContext({ viewport });
  // CI runs these beside other suites on 2 cores: a reconnect after a server restart can take a while.
  context.setDefaultTimeout(60_000);
  await prepare?.(context);
  const page = await context.newPage();
  page.on('pageerror', (error) => console.error(`[${name}] page error:`, error));
  await page.goto(url);
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByRole('button', { name: 'Join as guest' }).click();
  const person = { context, page, log: page.getByRole('log'), composer: page.getByLabel('Message', { exact: true }) };
  await person.composer.waitFor();
  return person;
}

/** Types a message and sends it with Enter. */
export async function say(person: Person, text: string): Promise<void> {
  await person.composer.fill(text);
  await person.composer.press('Enter');
}

/** The message list item whose own text is exactly this (not a reply's quote of it). */
export function messageItem(person: Person, text: string): Locator {
  return person.log
    .getByRole('listitem')
    .filter({ has: person.page.locator('.message__text').getByText(text, { exact: true }) });
}

/** The texts of the messages shown, top to bottom. */
export async function shownTexts(person: Person): Promise<string[]> {
  const texts = await person.log.locator('li.message .message__text').allTextContents();
  // As a reader sees them: Markdown's dropped HTML can leave runs of spaces.
  return texts.map((text) => text.replace(/\s+/g, ' ').trim());
}

/** A screenshot in test-results, with animations settled so it shows the final layout. */
export async function snap(page: Page, file: string): Promise<void> {
  await page.screenshot({ path: path.join(resultsDir, file), animations: 'disabled' });
}

/** The native dialogs (alert, confirm, prompt) the page opens from now on, each dismissed: the client opens none. */
export function nativeDialogs(page: Page): string[] {
  const opened: string[] = [];
  page.on('dialog', (dialog) => {
    opened.push(dialog.message());
    void dialog.dismiss();
  });
  return opened;
}

export function hasFocus(locator: Locator): Promise<boolean> {
  return locator.evaluate((el) => el === el.ownerDocument.activeElement);
}
