import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Message } from '@pockychat/protocol';
import type { Page, Route } from 'playwright-core';
import { messageItem, say, snap, type Person } from './helpers/browser.ts';
import { buildClient } from './helpers/build-client.ts';
import { suiteChat } from './helpers/chat.ts';

// A date the schema lets through (a string) but no date format can show: formatting it throws
// a RangeError while rendering, as a bug in a component would.
const BAD_DATE = 'not a date';

/** The console errors the page logs from now on. */
function consoleErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  return errors;
}

/** Answers history requests as the server does, but with the message of this text given a bad date. */
async function breakInHistory(person: Person, text: string): Promise<void> {
  await person.page.route(
    (url) => url.pathname === '/history',
    async (route: Route) => {
      const response = await route.fetch();
      const body = (await response.json()) as { messages: Message[] };
      const messages = body.messages.map((m) => (m.text === text ? { ...m, date: BAD_DATE } : m));
      await route.fulfill({ response, json: { ...body, messages } });
    },
  );
}

describe('error boundaries in the browser', () => {
  const chat = suiteChat(() => buildClient('error-boundary'));

  test('a message that cannot be rendered shows as such, alone: the rest of the room and the app go on', async () => {
    const ann = await chat.signIn('Ann');
    const errors = consoleErrors(ann.page);
    for (const text of ['fine before', 'this one breaks', 'fine after']) await say(ann, text);
    await messageItem(ann, 'fine after').locator('time').waitFor();

    await breakInHistory(ann, 'this one breaks');
    await ann.page.reload();
    await messageItem(ann, 'fine after').waitFor();
    await messageItem(ann, 'fine before').waitFor();
    await ann.log.locator('li.message--broken', { hasText: 'This message could not be shown.' }).waitFor();
    assert.equal(await messageItem(ann, 'this one breaks').count(), 0);
    assert.equal(await ann.page.getByText('Something went wrong').count(), 0);
    await ann.page.locator('.sidebar .room-link').first().waitFor();
    assert.ok(
      errors.some((e) => e.includes('pockychat: a render error') && e.includes('RangeError')),
      `the error is logged: ${errors.join('\n')}`,
    );
    await snap(ann.page, 'error-boundary-message.png');

    await say(ann, 'still chatting');
    await messageItem(ann, 'still chatting').locator('time').waitFor();
    await ann.context.close();
  });

  test('a render error outside any message shows "Something went wrong" with Reload, not a blank page', async () => {
    const bo = await chat.signIn('Bo');
    const errors = consoleErrors(bo.page);
    await say(bo, 'findable words');
    await messageItem(bo, 'findable words').locator('time').waitFor();
    const [message] = await bo.page.evaluate(async () => {
      const token = localStorage.getItem('pockychat.token') ?? '';
      const response = await fetch('/history?room=lobby&limit=1&before=1000000', {
        headers: { authorization: `Bearer ${token}` },
      });
      return ((await response.json()) as { messages: Message[] }).messages;
    });
    assert.ok(message);
    // The search dialog's results show each message's day and time: one result with a bad date.
    const search = (url: URL) => url.pathname === '/search';
    await bo.page.route(search, (route) => route.fulfill({ json: { messages: [{ ...message, date: BAD_DATE }] } }));
    await bo.page.getByRole('button', { name: /Search messages/ }).click();
    await bo.page.getByRole('combobox', { name: 'Search messages' }).fill('findable');

    const crash = bo.page.getByRole('alert').filter({ hasText: 'Something went wrong' });
    await crash.waitFor();
    assert.ok(
      errors.some((e) => e.includes('pockychat: a render error')),
      errors.join('\n'),
    );
    await snap(bo.page, 'error-boundary-app.png');

    await bo.page.unroute(search);
    await crash.getByRole('button', { name: 'Reload' }).click();
    await bo.composer.waitFor();
    await messageItem(bo, 'findable words').waitFor();
    await bo.context.close();
  });
});
