import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import type { HistoryAnswer } from '@pockychat/protocol';
import { spawnServer, tempDataDir, type SpawnedServer } from '../../../server/test/helpers/test-server.ts';
import { waitFor } from '../../../server/test/helpers/wait-for.ts';
import { buildClient, setupTimeout } from './helpers/build-client.ts';
import { launchBrowser, messageItem, say, shownTexts, signIn, snap, type Person } from './helpers/browser.ts';

/** Acknowledged messages show their time; pending ones say "Sending…". */
function acked(person: Person, text: string) {
  return messageItem(person, text).locator('time').waitFor({ timeout: 30_000 });
}

describe('a server restart', () => {
  const dataDir = tempDataDir();
  let env: Record<string, string>;
  let server: SpawnedServer;
  let browser: Browser;

  before(async () => {
    env = { WEB_DIST: await buildClient('restart') };
    server = await spawnServer({ dataDir, env });
    browser = await launchBrowser();
  }, setupTimeout);

  after(async () => {
    await browser?.close();
    await server?.stop();
  }, setupTimeout);

  test('one person survives it without losing or doubling a message', async () => {
    const ann = await signIn(browser, server.url, 'Ann');
    const bob = await signIn(browser, server.url, 'Bob');
    await say(ann, 'before the restart');
    await acked(bob, 'before the restart');

    // Ann's tab goes offline across the restart, so what Bob posts meanwhile reaches her
    // only through the catch-up with `since` after she reconnects.
    await ann.context.setOffline(true);
    await server.stop('SIGTERM');
    server = await spawnServer({ dataDir, port: server.port, env });

    await say(bob, 'while you were away 1');
    await say(bob, 'while you were away 2');
    await acked(bob, 'while you were away 2');

    // Written offline: shown at once, as sending, and sent when the connection is back.
    await say(ann, 'written offline');
    await messageItem(ann, 'written offline').getByText('Sending…').waitFor();
    await snap(ann.page, 'restart-offline.png');
    await ann.context.setOffline(false);

    await acked(ann, 'written offline');
    await acked(bob, 'written offline');
    await say(ann, 'after the restart');
    await acked(bob, 'after the restart');

    const expected = [
      'before the restart',
      'while you were away 1',
      'while you were away 2',
      'written offline',
      'after the restart',
    ];
    await waitFor(async () => (await shownTexts(ann)).length === expected.length, { timeoutMs: 10_000 });
    assert.deepEqual(await shownTexts(ann), expected);
    assert.deepEqual(await shownTexts(bob), expected);
    assert.deepEqual(await storedTexts(server.url, ann), expected, 'the server stored each message once');

    // A reload after all this still shows each message once.
    await bob.page.reload();
    await acked(bob, 'after the restart');
    assert.deepEqual(await shownTexts(bob), expected);
    await snap(ann.page, 'restart-after.png');
  });
});

async function storedTexts(url: string, person: Person): Promise<string[]> {
  const token = await person.page.evaluate(() => localStorage.getItem('pockychat.token'));
  const response = await fetch(`${url}/history?room=lobby`, { headers: { authorization: `Bearer ${token}` } });
  const body = (await response.json()) as HistoryAnswer;
  return body.messages.map((m) => m.text);
}
