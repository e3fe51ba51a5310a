import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { RoomSummary } from '@pockychat/protocol';
import { ChatClient, guest } from '../../../server/test/helpers/clients.ts';
import { waitFor } from '../../../server/test/helpers/wait-for.ts';
import type { Page } from 'playwright-core';
import { fillLogIn, inChat, openApp } from './helpers/accounts.ts';
import { messageItem, say, snap, type Person } from './helpers/browser.ts';
import { buildClient } from './helpers/build-client.ts';
import { suiteChat } from './helpers/chat.ts';

/** A room's entry in the sidebar. */
const roomLink = (person: Person, room: string) => person.page.locator('.sidebar .room-link').filter({ hasText: room });
const unreadBadge = (person: Person, room: string, count: number) =>
  roomLink(person, room).locator('[data-testid="unread-badge"]', { hasText: new RegExp(`^${count}\\b`) });
const mentionBadge = (person: Person, room: string, count: number) =>
  roomLink(person, room).locator('[data-testid="mention-badge"]', { hasText: new RegExp(`^@${count}\\b`) });
const noBadges = async (person: Person, room: string) => {
  await roomLink(person, room).locator('[data-testid="unread-badge"]').waitFor({ state: 'detached' });
  await roomLink(person, room).locator('[data-testid="mention-badge"]').waitFor({ state: 'detached' });
};
const titleIs = (page: Page, title: string) =>
  page.waitForFunction((expected) => document.title === expected, title, { timeout: 30_000 });

/** Creates or joins a public room from the sidebar form (the public-rooms list may be on screen). */
async function joinPublic(person: Person, room: string): Promise<void> {
  const { page } = person;
  await page.getByLabel('Room name').fill(room);
  await page.getByRole('checkbox', { name: /^Public/ }).setChecked(true);
  await page.getByRole('button', { name: 'Join', exact: true }).click();
  await page.getByRole('heading', { name: `#${room}` }).waitFor();
}

/** The room's unread count as GET /rooms gives it. */
async function serverUnread(url: string, token: string | null, room: string): Promise<number | undefined> {
  const response = await fetch(`${url}/rooms`, { headers: { authorization: `Bearer ${token ?? ''}` } });
  const { rooms } = (await response.json()) as { rooms: RoomSummary[] };
  return rooms.find((r) => r.name === room)?.unread;
}

/** Makes the page report itself hidden (or visible again), as a tab in the background does. */
async function setHidden(page: Page, hidden: boolean): Promise<void> {
  await page.evaluate((value) => {
    Object.defineProperty(document, 'visibilityState', {
      configurable: true,
      get: () => (value ? 'hidden' : 'visible'),
    });
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => value });
    document.dispatchEvent(new Event('visibilitychange'));
  }, hidden);
}

async function openRoom(person: Person, room: string): Promise<void> {
  await roomLink(person, room).click();
  await person.page.getByRole('heading', { name: `#${room}` }).waitFor();
}

/** Sends messages from a bot and waits for the ack of the last one. */
async function post(bot: ChatClient, room: string, texts: string[]): Promise<void> {
  const tag = `${room}-${bot.frames.length}`;
  texts.forEach((text, i) => bot.send({ type: 'send', room, clientId: `${tag}-${i}`, text }));
  await bot.next('ack', (ack) => ack.clientId === `${tag}-${texts.length - 1}`, 20_000);
}

/** Where the conversation is scrolled: the "new messages" line in view, and at the bottom. */
async function scrollPlace(person: Person): Promise<{ lineInView: boolean; atBottom: boolean }> {
  return person.log.evaluate((log) => {
    const box = log.getBoundingClientRect();
    const line = log.querySelector('.new-messages-line')?.getBoundingClientRect();
    return {
      lineInView: line !== undefined && line.top >= box.top && line.bottom <= box.bottom,
      atBottom: log.scrollHeight - log.scrollTop - log.clientHeight < 2,
    };
  });
}

/** Whether the message is within the conversation's visible area. */
async function inView(person: Person, text: string): Promise<boolean> {
  const box = await person.log.boundingBox();
  const item = await messageItem(person, text).boundingBox();
  return box !== null && item !== null && item.y >= box.y && item.y + item.height <= box.y + box.height;
}

/** Sends a message that mentions `name`, picked from the composer's suggestions. */
async function mention(person: Person, name: string, rest: string): Promise<void> {
  await person.composer.pressSequentially(`@${name.slice(0, 2)}`);
  await person.page.getByRole('option', { name: `@${name}` }).waitFor();
  await person.composer.press('Enter');
  await person.composer.pressSequentially(rest);
  await person.composer.press('Enter');
}

describe('read markers and unread badges in the browser', () => {
  const chat = suiteChat(() => buildClient('read-markers'), { env: { RATE_LIMIT_MESSAGES: '1000' } });

  test("another's messages show as unread and mention badges and in the title, after a reload too; opening the room shows where one left off", async () => {
    const ida = await chat.signIn('Ida');
    await joinPublic(ida, 'rm-side');
    await openRoom(ida, 'lobby');
    const jon = await chat.signIn('Jon');
    await joinPublic(jon, 'rm-side');
    await say(jon, 'first from Jon');
    await mention(jon, 'Ida', ' second, for you');
    await say(jon, 'third from Jon');
    await messageItem(jon, 'third from Jon').waitFor();

    await unreadBadge(ida, 'rm-side', 3).waitFor();
    await mentionBadge(ida, 'rm-side', 1).waitFor();
    await titleIs(ida.page, '(3) pockychat');
    await snap(ida.page, 'read-markers-badges.png');
    await ida.page.reload();
    await unreadBadge(ida, 'rm-side', 3).waitFor();
    await mentionBadge(ida, 'rm-side', 1).waitFor();
    await titleIs(ida.page, '(3) pockychat');

    await openRoom(ida, 'rm-side');
    await ida.log.locator('.new-messages-line + li.message', { hasText: 'first from Jon' }).waitFor();
    await noBadges(ida, 'rm-side');
    await titleIs(ida.page, 'pockychat');
    await snap(ida.page, 'read-markers-line.png');
    // Read now, but the line stays where Ida left off while the room is shown.
    await say(jon, 'fourth from Jon');
    await messageItem(ida, 'fourth from Jon').waitFor();
    await ida.log.locator('.new-messages-line + li.message', { hasText: 'first from Jon' }).waitFor();
    await noBadges(ida, 'rm-side');
    // Left and opened again: everything was read, so no line.
    await openRoom(ida, 'lobby');
    await openRoom(ida, 'rm-side');
    await messageItem(ida, 'fourth from Jon').waitFor();
    await ida.log.locator('.new-messages-line').waitFor({ state: 'detached' });
    await ida.page.reload();
    await noBadges(ida, 'rm-side');
    for (const person of [ida, jon]) await person.context.close();
  });

  test('what arrives while the tab is hidden stays unread, in the room on screen too, until the tab is shown', async () => {
    const max = await chat.signIn('Max');
    await joinPublic(max, 'rm-hidden');
    const ned = await chat.signIn('Ned');
    await joinPublic(ned, 'rm-hidden');
    await say(ned, 'seen at once');
    await messageItem(max, 'seen at once').waitFor();
    await noBadges(max, 'rm-hidden');

    await setHidden(max.page, true);
    await say(ned, 'sent while away');
    await messageItem(max, 'sent while away').waitFor();
    await unreadBadge(max, 'rm-hidden', 1).waitFor();
    await titleIs(max.page, '(1) pockychat');
    // On screen, but in a hidden tab: not read, as the server says too.
    const token = await max.page.evaluate(() => localStorage.getItem('pockychat.token'));
    assert.equal(await serverUnread(chat.server.url, token, 'rm-hidden'), 1);

    await setHidden(max.page, false);
    await noBadges(max, 'rm-hidden');
    await titleIs(max.page, 'pockychat');
    await waitFor(async () => (await serverUnread(chat.server.url, token, 'rm-hidden')) === 0, {
      what: 'the marker stored once the tab is shown',
    });

    // Away again, then the page is reloaded on that room: the line shows where Max left off.
    await setHidden(max.page, true);
    await say(ned, 'second while away');
    await unreadBadge(max, 'rm-hidden', 1).waitFor();
    await max.page.reload();
    await max.log.locator('.new-messages-line + li.message', { hasText: 'second while away' }).waitFor();
    await noBadges(max, 'rm-hidden');
    for (const person of [max, ned]) await person.context.close();
  });

  test('two browsers of one person: opening the room in one clears its badge in the other', async () => {
    const who = { email: `kim-${Date.now()}@example.test`, password: 'a long password', name: 'Kim' };
    const first = await chat.signUp(who);
    await joinPublic(first, 'rm-pair');
    await openRoom(first, 'lobby');
    const secondPage = await openApp(chat.browser, chat.url, 'Kim again');
    await fillLogIn(secondPage, who.email, who.password);
    const second = await inChat(secondPage);
    await roomLink(second, 'rm-pair').waitFor();
    await openRoom(second, 'lobby');

    const lou = await chat.signIn('Lou');
    await joinPublic(lou, 'rm-pair');
    await say(lou, 'one for Kim');
    await say(lou, 'two for Kim');
    for (const kim of [first, second]) await unreadBadge(kim, 'rm-pair', 2).waitFor();

    await openRoom(first, 'rm-pair');
    await messageItem(first, 'two for Kim').waitFor();
    // The marker goes at once (later ones at most once a second): the other browser follows within a second.
    await roomLink(second, 'rm-pair').locator('[data-testid="unread-badge"]').waitFor({ state: 'detached' });
    await titleIs(second.page, 'pockychat');
    await second.page.reload();
    await roomLink(second, 'rm-pair').waitFor();
    await noBadges(second, 'rm-pair');
    for (const person of [first, second, lou]) await person.context.close();
  });

  test('a room opened with more unread than a screen opens on the line when the page holds it, else at the bottom', async () => {
    const ola = await chat.signIn('Ola');
    await joinPublic(ola, 'rm-long');
    await say(ola, 'where Ola left off');
    await messageItem(ola, 'where Ola left off').waitFor();
    await openRoom(ola, 'lobby');
    const pia = await guest(chat.server.url, 'Pia');
    const bot = await ChatClient.connect(chat.server.url, pia.token);
    await bot.join('rm-long', 'public');
    const unread = Array.from({ length: 40 }, (_, i) => `unread ${i + 1}`);
    await post(bot, 'rm-long', unread);
    await unreadBadge(ola, 'rm-long', 40).waitFor();

    // All 40 are in the room's page, and more than a screen: opened on the line, not at the bottom.
    await openRoom(ola, 'rm-long');
    const firstUnread = ola.page.locator('.message__text').getByText('unread 1', { exact: true });
    await ola.log.locator('.new-messages-line + li.message', { has: firstUnread }).waitFor();
    assert.deepEqual(await scrollPlace(ola), { lineInView: true, atBottom: false });
    assert.equal(await inView(ola, 'unread 40'), false, 'the newest is below the fold');
    await snap(ola.page, 'read-markers-opened-on-line.png');

    // Many more than a page, after a reload: the marker is older than the page, so the bottom.
    await openRoom(ola, 'lobby');
    await post(
      bot,
      'rm-long',
      Array.from({ length: 60 }, (_, i) => `later ${i + 1}`),
    );
    await ola.page.reload();
    await roomLink(ola, 'rm-long').locator('[data-testid="unread-badge"]').waitFor();
    await openRoom(ola, 'rm-long');
    await messageItem(ola, 'later 60').waitFor();
    await waitFor(async () => (await scrollPlace(ola)).atBottom, { what: 'the room opened at the bottom' });
    assert.ok(await inView(ola, 'later 60'));
    bot.close();
    await ola.context.close();
  });

  test('unread messages that begin before the loaded page show a banner, not a line at the page top; its jump lands on the first unread', async () => {
    const uma = await chat.signIn('Uma');
    await joinPublic(uma, 'rm-far');
    await say(uma, 'Uma read up to here');
    await messageItem(uma, 'Uma read up to here').waitFor();
    await openRoom(uma, 'lobby');
    const vic = await guest(chat.server.url, 'Vic');
    const bot = await ChatClient.connect(chat.server.url, vic.token);
    await bot.join('rm-far', 'public');
    await post(
      bot,
      'rm-far',
      Array.from({ length: 150 }, (_, i) => `far ${i + 1}`),
    );
    await unreadBadge(uma, 'rm-far', 150).waitFor();
    // Reloaded, the client has only the room's newest page: a line above "far 101" would say Uma left off there.
    await uma.page.reload();
    await unreadBadge(uma, 'rm-far', 150).waitFor();
    await openRoom(uma, 'rm-far');
    const banner = uma.page.getByRole('status').filter({ hasText: 'since you left off' });
    await banner.getByText('150 new messages since you left off').waitFor();
    await messageItem(uma, 'far 150').waitFor();
    assert.equal(await uma.log.locator('.new-messages-line').count(), 0, 'no line above the page’s first message');
    await snap(uma.page, 'read-markers-earlier-banner.png');

    await banner.getByRole('button', { name: 'Jump to the first unread' }).click();
    const firstUnread = uma.page.locator('.message__text').getByText('far 1', { exact: true });
    await uma.log
      .locator('li.message', { hasText: 'Uma read up to here' })
      .locator('+ .new-messages-line + li.message', { has: firstUnread })
      .waitFor();
    await waitFor(async () => (await scrollPlace(uma)).lineInView && (await inView(uma, 'far 1')), {
      what: 'the first unread scrolled into view',
    });
    await banner.waitFor({ state: 'detached' });
    await snap(uma.page, 'read-markers-jumped-to-first-unread.png');

    // Dismissed, the banner goes and no line comes.
    await openRoom(uma, 'lobby');
    await post(
      bot,
      'rm-far',
      Array.from({ length: 60 }, (_, i) => `more ${i + 1}`),
    );
    await uma.page.reload();
    await unreadBadge(uma, 'rm-far', 60).waitFor();
    await openRoom(uma, 'rm-far');
    await banner.getByText('60 new messages since you left off').waitFor();
    await banner.getByRole('button', { name: 'Dismiss' }).click();
    await banner.waitFor({ state: 'detached' });
    assert.equal(await uma.log.locator('.new-messages-line').count(), 0);
    bot.close();
    await uma.context.close();
  });
});
