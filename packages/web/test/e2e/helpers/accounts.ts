import type { Browser, Page } from 'playwright-core';
import type { Person } from './browser.ts';

export interface Credentials {
  email: string;
  password: string;
  name: string;
}

/** A new browser profile showing the sign-in screen. */
export async function openApp(browser: Browser, url: string, label: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  // CI runs these beside other suites on 2 cores: a reconnect after a server restart can take a while.
  context.setDefaultTimeout(60_000);
  const page = await context.newPage();
  page.on('pageerror', (error) => console.error(`[${label}] page error:`, error));
  await page.goto(url);
  await page.getByRole('tab', { name: 'Guest' }).waitFor();
  return page;
}

/** Fills and sends the sign-up form, on the sign-in screen or in a guest's account dialog. */
export async function fillSignUp(page: Page, who: Credentials): Promise<void> {
  await page.getByRole('tab', { name: 'Sign up' }).click();
  await page.getByLabel('Display name').fill(who.name);
  await page.getByLabel('Email').fill(who.email);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Sign up' }).click();
}

export async function fillLogIn(page: Page, email: string, password: string): Promise<void> {
  await page.getByRole('tab', { name: 'Log in' }).click();
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
}

/** The chat of a page that just signed in, once its composer is up. */
export async function inChat(page: Page): Promise<Person> {
  const person = {
    context: page.context(),
    page,
    log: page.getByRole('log'),
    composer: page.getByLabel('Message', { exact: true }),
  };
  await person.composer.waitFor();
  return person;
}

/** A new profile that signs up from the sign-in screen. */
export async function signUp(browser: Browser, url: string, who: Credentials): Promise<Person> {
  const page = await openApp(browser, url, who.name);
  await fillSignUp(page, who);
  return inChat(page);
}

/** Creates (or joins) a room by name from the sidebar form. */
export async function createRoom(person: Person, room: string, visibility: 'public' | 'private'): Promise<void> {
  const { page } = person;
  await page.getByLabel('Room name').fill(room);
  // By role: a label match would also find the "Public rooms" section once it shows.
  await page.getByRole('checkbox', { name: /^Public/ }).setChecked(visibility === 'public');
  await page.getByRole('button', { name: 'Join', exact: true }).click();
  await page.getByRole('heading', { name: `#${room}` }).waitFor();
}

/** Opens an entry of the room header's menu. */
export async function roomMenu(person: Person, item: string): Promise<void> {
  await person.page.getByRole('button', { name: 'Room options' }).click();
  await person.page.getByRole('menuitem', { name: item }).click();
}
