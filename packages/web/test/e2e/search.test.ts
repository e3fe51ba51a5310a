import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ChatClient, guest } from '../../../server/test/helpers/clients.ts';
import { waitFor } from '../../../server/test/helpers/wait-for.ts';
import { buildClient, setupTimeout } from './helpers/build-client.ts';
import { messageItem, shownTexts, snap, type Person } from './helpers/browser.ts';
import { suiteChat } from './helpers/chat.ts';

const total = 300;
/** The message to find: far outside the newest page (50) of its room. */
const oldSeq = 5;
const oldText = 'the Zanzibarian treaty was signed here';

/** The message after it, edited while the reader looks at it. */
const corrected = 'note 6, corrected';

/** What the archive holds, seq by seq. */
const archiveText = (seq: number) => (seq === oldSeq ? oldText : `note ${seq}`);

/** Sends messages from a bot and waits for the ack of the last one. */
async function post(bot: ChatClient, room: string, texts: string[]): Promise<void> {
  const tag = `${room}-${bot.frames.length}`;
  texts.forEach((text, i) => bot.send({ type: 'send', room, clientId: `${tag}-${i}`, text }));
  await bot.next('ack', (ack) => ack.clientId === `${tag}-${texts.length - 1}`, 20_000);
}

/** Opens a room that exists by its name, from the sidebar's form. */
async function openRoom(person: Person, room: string): Promise<void> {
  await person.page.getByLabel('Room name').fill(room);
  await person.page.getByRole('button', { name: 'Join', exact: true }).click();
  await person.page.getByRole('heading', { name: `#${room}` }).waitFor();
}

describe('search (Ctrl/Cmd+K) and a result opened in its context', () => {
  const chat = suiteChat(() => buildClient('search'), { env: { RATE_LIMIT_MESSAGES: '1000' } });
  let bot: ChatClient;

  before(async () => {
    const archivist = await guest(chat.server.url, 'Archivist');
    bot = await ChatClient.connect(chat.server.url, archivist.token);
    await bot.join('archive', 'public');
    await post(
      bot,
      'archive',
      Array.from({ length: total }, (_, i) => archiveText(i + 1)),
    );
    // The same word in another room, newer: it comes first, in a group of its own.
    await bot.join('lobby');
    await post(bot, 'lobby', ['Zanzibarian spices are in the lobby']);
    // And in a private room the reader is not in: never found by the reader.
    const keeper = await guest(chat.server.url, 'Keeper');
    const vault = await ChatClient.connect(chat.server.url, keeper.token);
    await vault.join('vault', 'private');
    await post(vault, 'vault', ['zanzibarian secret plans']);
    vault.close();
  }, setupTimeout);

  test('search, open a result far back in history: it is shown highlighted, then back to the newest', async () => {
    const reader = await chat.signIn('Reader');
    const { page } = reader;
    await openRoom(reader, 'archive');
    await messageItem(reader, `note ${total}`).waitFor();
    assert.equal(await messageItem(reader, oldText).count(), 0, 'the old message is not in the newest page');

    await page.keyboard.press('Control+k');
    const dialog = page.getByRole('dialog', { name: 'Search messages' });
    const box = dialog.getByRole('combobox', { name: 'Search messages' });
    await box.waitFor();
    assert.ok(await box.evaluate((el) => el === document.activeElement), 'the input has the focus');
    await box.pressSequentially('zanzib');

    const options = dialog.getByRole('option');
    await waitFor(async () => (await options.count()) === 2, { timeoutMs: 20_000, what: 'two results' });
    // Grouped by room: the newer match's room first; the private room's message is not there.
    assert.deepEqual(await dialog.locator('.search__room').allTextContents(), ['#lobby', '#archive']);
    const lobbyGroup = dialog.getByRole('group', { name: 'lobby' });
    const archiveGroup = dialog.getByRole('group', { name: 'archive' });
    assert.equal(await lobbyGroup.getByRole('option').count(), 1);
    assert.equal(await archiveGroup.getByRole('option').count(), 1);
    assert.equal(await dialog.getByText('secret plans').count(), 0, 'a private room one is not in is never searched');
    const result = archiveGroup.getByRole('option');
    assert.match((await result.textContent()) ?? '', /Archivist/);
    assert.deepEqual(await result.locator('mark').allTextContents(), ['Zanzib']);
    assert.deepEqual(await lobbyGroup.locator('mark').allTextContents(), ['Zanzib']);

    // The arrows move the selection across groups, the focus staying in the input.
    const selected = async () => {
      const id = await box.getAttribute('aria-activedescendant');
      return id ? page.locator(`[id="${id}"]`).textContent() : null;
    };
    assert.match((await selected()) ?? '', /spices/);
    await box.press('ArrowDown');
    assert.match((await selected()) ?? '', /treaty/);
    assert.equal(await result.getAttribute('aria-selected'), 'true');
    await box.press('ArrowDown');
    assert.match((await selected()) ?? '', /treaty/, 'the last result stays selected');
    await box.press('ArrowUp');
    assert.match((await selected()) ?? '', /spices/);
    await box.press('ArrowDown');
    await snap(page, 'search-results.png');
    await box.press('Enter');

    // The old message, in the archive, among its neighbours, highlighted.
    await dialog.waitFor({ state: 'detached' });
    await page.getByRole('heading', { name: '#archive' }).waitFor();
    const found = reader.log.locator('li.message--highlighted', { hasText: oldText });
    await found.waitFor();
    assert.ok(await found.isVisible());
    assert.ok(await messageItem(reader, `note ${oldSeq + 1}`).isVisible(), 'its context is shown around it');
    assert.equal(await messageItem(reader, `note ${total}`).count(), 0, 'the newest page is not shown meanwhile');
    await snap(page, 'search-opened.png');
    // A message of the window edited meanwhile shows its change (a live `updated` frame).
    const neighbour = bot.of('ack').find((ack) => ack.message.room === 'archive' && ack.message.seq === oldSeq + 1);
    assert.ok(neighbour);
    bot.send({ type: 'edit', room: 'archive', messageId: neighbour.message.id, text: corrected });
    await messageItem(reader, corrected).waitFor();
    // The highlight fades: the class goes after a few seconds.
    await messageItem(reader, oldText).and(page.locator(':not(.message--highlighted)')).waitFor();

    // Live messages keep coming meanwhile; scrolling down pages newer messages in until the window
    // meets them ("Jump to latest" is there as long as the window is).
    await post(bot, 'archive', ['while you were reading']);
    const inWindow = reader.log.getByRole('button', { name: 'Jump to latest' });
    await waitFor(
      async () => {
        if ((await inWindow.count()) === 0) return true;
        await reader.log.evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
        return false;
      },
      { timeoutMs: 30_000, what: 'back to the newest messages' },
    );
    const expected = [
      ...Array.from({ length: total }, (_, i) => (i + 1 === oldSeq + 1 ? corrected : archiveText(i + 1))),
      'while you were reading',
    ];
    await messageItem(reader, 'while you were reading').waitFor();
    const shown = await shownTexts(reader);
    assert.deepEqual(shown, expected.slice(expected.length - shown.length), 'one run, nothing missing or twice');
    assert.ok(shown.length > 250, 'the window and the newest messages joined up');
    await post(bot, 'archive', ['and live again']);
    await messageItem(reader, 'and live again').waitFor();
    await reader.context.close();
  });

  test('the search button opens it too; Escape closes it; "Load newer", and "Jump to latest" leaves a window', async () => {
    const reader = await chat.signIn('Second reader');
    const { page } = reader;
    await openRoom(reader, 'archive');
    await messageItem(reader, 'and live again').waitFor();
    await page.getByRole('button', { name: /Search messages/ }).click();
    const box = page.getByRole('combobox', { name: 'Search messages' });
    await box.fill('nothingmatchesthis');
    await page.getByRole('dialog').getByText('No messages match.').waitFor();
    await box.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached' });

    await page.keyboard.press('Control+k');
    await box.fill('"treaty was"');
    const result = page.getByRole('option', { name: /treaty/ });
    await result.waitFor();
    assert.deepEqual(await result.locator('mark').allTextContents(), ['treaty was']);
    await result.click();
    await reader.log.locator('li.message--highlighted', { hasText: oldText }).waitFor();
    // "Load newer" pages forward; with "Jump to latest" it stays in view at the bottom meanwhile.
    const before = (await shownTexts(reader)).length;
    await reader.log.getByRole('button', { name: 'Load newer' }).click();
    await waitFor(async () => (await shownTexts(reader)).length > before, { what: 'a newer page' });
    await snap(page, 'search-window.png');
    await reader.log.getByRole('button', { name: 'Jump to latest' }).click();
    await messageItem(reader, 'and live again').waitFor();
    assert.equal(await messageItem(reader, oldText).count(), 0);
    await reader.context.close();
  });
});
