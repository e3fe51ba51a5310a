import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Locator } from 'playwright-core';
import { ChatClient, guest } from '../../../server/test/helpers/clients.ts';
import { waitFor } from '../../../server/test/helpers/wait-for.ts';
import { buildClient } from './helpers/build-client.ts';
import { messageItem, nativeDialogs, say, snap, type Person } from './helpers/browser.ts';
import { suiteChat } from './helpers/chat.ts';

const patience = { timeoutMs: 20_000 };

/** What a person sees of the lobby, message by message: text (or tombstone), edited, quote, reactions. */
async function view(person: Person): Promise<string[]> {
  return person.log.locator('li.message').evaluateAll((items) =>
    items.map((li) => {
      const part = (selector: string) => li.querySelector(selector)?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
      const reactions = [...li.querySelectorAll('.reaction')].map((r) => r.textContent?.trim()).join(' ');
      return [
        part('.reply-quote') && `> ${part('.reply-quote')}`,
        part('.message__tombstone') || part('.message__text'),
        part('.message__edited'),
        reactions,
      ]
        .filter(Boolean)
        .join(' | ');
    }),
  );
}

/** Opens a message's actions (hovering it) and clicks one. */
async function act(item: Locator, action: string): Promise<void> {
  await item.hover();
  await item.getByRole('button', { name: action, exact: true }).click();
}

async function edit(person: Person, text: string, next: string): Promise<void> {
  const item = messageItem(person, text);
  await act(item, 'Edit');
  const box = person.page.getByLabel('Edit message');
  await box.fill(next);
  await box.press('Enter');
}

/** The question Delete asks in the message's toolbar. */
const deleteQuestion = (item: Locator) => item.getByRole('group', { name: 'Delete this message for everyone?' });

async function remove(person: Person, text: string): Promise<void> {
  const item = messageItem(person, text);
  await act(item, 'Delete');
  await deleteQuestion(item).getByRole('button', { name: 'Delete', exact: true }).click();
}

async function react(person: Person, text: string, emoji: string): Promise<void> {
  const item = messageItem(person, text);
  await act(item, 'Add a reaction');
  await person.page.getByRole('dialog', { name: 'Choose a reaction' }).getByRole('button', { name: emoji }).click();
}

describe('a conversation: edit, delete, reply, react, mention', () => {
  const chat = suiteChat(() => buildClient('conversation'), { env: { RATE_LIMIT_MESSAGES: '1000' } });

  test('two people edit, delete, reply and react; a third, and a reload, see the same', async () => {
    const ann = await chat.signIn('Ann');
    const bob = await chat.signIn('Bob');
    await say(ann, 'Plan for **today**');
    await say(ann, 'oops, wrong room');
    await messageItem(bob, 'oops, wrong room').waitFor({ timeout: patience.timeoutMs });

    // Bob answers Ann's plan: the quote shows above the composer, then above his reply.
    await act(messageItem(bob, 'Plan for today'), 'Reply');
    await bob.page.getByText('Replying to Ann').waitFor();
    await say(bob, 'On it');
    await messageItem(ann, 'On it')
      .locator('.reply-quote', { hasText: 'Plan for today' })
      .waitFor({ timeout: patience.timeoutMs });

    // Ann edits and deletes her own; Bob reacts from the picker; Ann likes his reply.
    await edit(ann, 'Plan for today', 'Plan for **today**: ship it');
    await remove(ann, 'oops, wrong room');
    await react(bob, 'Plan for today: ship it', '🎉');
    await act(messageItem(ann, 'On it'), 'React with ❤️');

    const expected = [
      'Plan for today: ship it | edited | 🎉1',
      'This message was deleted.',
      '> AnnPlan for today | On it | ❤️1',
    ];
    for (const person of [ann, bob]) await showsAtLast(person, expected);

    // Bob may not edit or delete Ann's message: no such actions are offered.
    const annsMessage = messageItem(bob, 'Plan for today: ship it');
    await annsMessage.hover();
    assert.equal(await annsMessage.getByRole('button', { name: 'Edit', exact: true }).count(), 0);
    assert.equal(await annsMessage.getByRole('button', { name: 'Delete', exact: true }).count(), 0);

    // Who reacted, on hover.
    assert.equal(await messageItem(ann, 'Plan for today: ship it').locator('.reaction').getAttribute('title'), 'Bob');

    const cleo = await chat.signIn('Cleo');
    await showsAtLast(cleo, expected);
    await cleo.page.reload();
    await showsAtLast(cleo, expected);

    // Clicking the quote goes to the parent and highlights it.
    await messageItem(cleo, 'On it').locator('.reply-quote').click();
    await cleo.log.locator('li.message--highlighted', { hasText: 'Plan for today: ship it' }).waitFor();

    for (const person of [ann, bob, cleo]) await person.context.close();
  });

  test('Delete asks in the toolbar, not with a native dialog: Escape cancels, Enter confirms, focus back on the message', async () => {
    const fay = await chat.signIn('Fay');
    const dialogs = nativeDialogs(fay.page);
    await say(fay, 'maybe delete me');
    const item = messageItem(fay, 'maybe delete me');
    await item.locator('time').waitFor();
    const id = await item.getAttribute('data-id');

    // Asked, the question's Delete has the focus: Escape cancels, Enter confirms.
    await act(item, 'Delete');
    const question = deleteQuestion(item);
    const confirm = question.getByRole('button', { name: 'Delete', exact: true });
    await waitFor(() => confirm.evaluate((el) => el === document.activeElement), { what: 'focus on the confirm' });
    await snap(fay.page, 'conversation-delete-confirm.png');
    await fay.page.keyboard.press('Escape');
    await question.waitFor({ state: 'detached' });
    assert.ok(await item.evaluate((el) => el === document.activeElement), 'focus is back on the message');
    assert.equal(await item.locator('.message__text').textContent(), 'maybe delete me');

    // Cancel by click does the same.
    await act(item, 'Delete');
    await question.getByRole('button', { name: 'Cancel' }).click();
    await question.waitFor({ state: 'detached' });
    assert.ok(await item.evaluate((el) => el === document.activeElement));

    await act(item, 'Delete');
    await waitFor(() => confirm.evaluate((el) => el === document.activeElement), { what: 'focus on the confirm' });
    await fay.page.keyboard.press('Enter');
    await fay.log.locator(`li.message--deleted[data-id="${id}"]`).waitFor();
    assert.deepEqual(dialogs, [], 'no native dialog opened');
    await fay.context.close();
  });

  test('one goes offline, the other edits, deletes and reacts; back online, every change shows once', async () => {
    const dee = await chat.signIn('Dee');
    const eli = await chat.signIn('Eli');
    await say(dee, 'first draft');
    await say(dee, 'to be removed');
    await say(dee, 'stays');
    await messageItem(eli, 'stays').waitFor({ timeout: patience.timeoutMs });

    await eli.context.setOffline(true);
    await eli.page
      .getByText(/Reconnecting|Offline/i)
      .first()
      .waitFor({ timeout: patience.timeoutMs });
    await edit(dee, 'first draft', 'final draft');
    await remove(dee, 'to be removed');
    await react(dee, 'stays', '👍');
    await say(dee, 'while you were away');
    await messageItem(dee, 'while you were away').locator('time').waitFor({ timeout: patience.timeoutMs });
    const deeSees = await view(dee);
    await eli.context.setOffline(false);

    await showsAtLast(eli, deeSees);
    const tail = (await view(eli)).slice(-4);
    assert.deepEqual(tail, ['final draft | edited', 'This message was deleted.', 'stays | 👍1', 'while you were away']);
    for (const person of [dee, eli]) await person.context.close();
  });

  test('a reply to a message older than the loaded page: its quote loads older history and shows the parent', async () => {
    const hal = await chat.signIn('Hal');
    await say(hal, 'the parent, long ago');
    await messageItem(hal, 'the parent, long ago').locator('time').waitFor({ timeout: patience.timeoutMs });
    // A page of others' messages after it, so that a newcomer's first page does not reach it.
    const chatter = await guest(chat.server.url, 'Ivy');
    const socket = await ChatClient.connect(chat.server.url, chatter.token);
    await socket.join('lobby');
    for (let i = 0; i < 60; i++)
      socket.send({ type: 'send', room: 'lobby', clientId: `filler-${i}`, text: `filler ${i}` });
    await waitFor(() => socket.of('ack').length === 60, patience);
    socket.close();
    await messageItem(hal, 'filler 59').waitFor({ timeout: patience.timeoutMs });
    await hal.log.evaluate((el) => el.scrollTo(0, 0));
    await act(messageItem(hal, 'the parent, long ago'), 'Reply');
    await say(hal, 'answering the old one');

    const jo = await chat.signIn('Jo');
    const reply = messageItem(jo, 'answering the old one');
    await reply.waitFor({ timeout: patience.timeoutMs });
    assert.equal(await messageItem(jo, 'the parent, long ago').count(), 0, 'the parent is not loaded yet');
    await reply.locator('.reply-quote').click();
    await jo.log
      .locator('li.message--highlighted', { hasText: 'the parent, long ago' })
      .waitFor({ timeout: patience.timeoutMs });
    for (const person of [hal, jo]) await person.context.close();
  });

  test('@ suggests the room members; the person mentioned sees the message highlighted', async () => {
    const fay = await chat.signIn('Fay');
    const gus = await chat.signIn('Gus');
    await say(gus, 'hello from Gus');
    await messageItem(fay, 'hello from Gus').waitFor({ timeout: patience.timeoutMs });
    await fay.composer.pressSequentially('look @Gu');
    await fay.page.getByRole('option', { name: '@Gus' }).waitFor({ timeout: patience.timeoutMs });
    await fay.composer.press('Enter');
    await fay.composer.pressSequentially('here');
    await fay.composer.press('Enter');
    await gus.log
      .locator('li.message--mentions-me', { hasText: 'look @Gus here' })
      .waitFor({ timeout: patience.timeoutMs });
    for (const person of [fay, gus]) await person.context.close();
  });
});

/** Waits until the person's last messages are these; if they never are, says what was shown. */
async function showsAtLast(person: Person, expected: string[]): Promise<void> {
  try {
    await waitFor(async () => same(await view(person), expected), patience);
  } catch {
    assert.deepEqual((await view(person)).slice(-expected.length), expected);
  }
}

/** The lobby is shared by every test: compare the messages of this test, the last ones shown. */
function same(shown: string[], expected: string[]): boolean {
  return JSON.stringify(shown.slice(-expected.length)) === JSON.stringify(expected);
}
