import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ChatClient, guest } from '../../../server/test/helpers/clients.ts';
import { waitFor } from '../../../server/test/helpers/wait-for.ts';
import { buildClient, setupTimeout } from './helpers/build-client.ts';
import { shownTexts, snap } from './helpers/browser.ts';
import { startChat, type Chat } from './helpers/chat.ts';

const total = 130;

describe('scrolling back through history', () => {
  let chat: Chat;

  before(async () => {
    chat = await startChat({ dist: await buildClient('history'), env: { RATE_LIMIT_MESSAGES: '1000' } });
    const { token } = await guest(chat.server.url, 'Archivist');
    const bot = await ChatClient.connect(chat.server.url, token);
    await bot.join('lobby');
    for (let i = 1; i <= total; i++) bot.send({ type: 'send', room: 'lobby', clientId: `c${i}`, text: `note ${i}` });
    await bot.next('ack', (ack) => ack.clientId === `c${total}`, 15_000);
    bot.close();
  }, setupTimeout);

  after(() => chat?.close(), setupTimeout);

  test('pages older messages in with `before` until the start, each once and in order', async () => {
    const reader = await chat.signIn('Reader');
    await reader.log.getByText(`note ${total}`, { exact: true }).waitFor();
    const first = await shownTexts(reader);
    assert.ok(first.length < total, 'the first screen is one page, not the whole room');

    await waitFor(
      async () => {
        await reader.log.evaluate((el) => el.scrollTo({ top: 0 }));
        return reader.log.getByText('This is the very beginning', { exact: false }).isVisible();
      },
      { timeoutMs: 20_000, what: 'the start of the room' },
    );
    const expected = Array.from({ length: total }, (_, i) => `note ${i + 1}`);
    assert.deepEqual(await shownTexts(reader), expected);
    await snap(reader.page, 'history-top.png');
  });
});
