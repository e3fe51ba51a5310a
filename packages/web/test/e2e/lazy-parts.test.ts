import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { BrowserContext, Route } from 'playwright-core';
import { waitFor } from '../../../server/test/helpers/wait-for.ts';
import { roomMenu } from './helpers/accounts.ts';
import { buildClient } from './helpers/build-client.ts';
import { signIn, type Person } from './helpers/browser.ts';
import { suiteChat, type Chat } from './helpers/chat.ts';

let dist: Promise<string> | undefined;
const webDist = () => (dist ??= buildClient('lazy-parts'));

/** The chunks of src/components/lazy-parts.ts, none of which the first paint needs. */
const lazyParts = [
  'AdminPage',
  'AccountDialog',
  'SearchDialog',
  'MembersDialog',
  'InviteDialog',
  'GroupPicker',
  'EmojiPicker',
  'GifRecorder',
  'ResetPasswordScreen',
  'ForgotPasswordForm',
];
const lazyChunk = new RegExp(`^/assets/(${lazyParts.join('|')})-[\\w-]+\\.js$`);
const searchChunk = '**/assets/SearchDialog-*.js';

/** The scripts index.html loads up front: its entry and its modulepreload links. */
async function upFrontScripts(): Promise<string[]> {
  const html = await readFile(path.join(await webDist(), 'index.html'), 'utf8');
  return [...html.matchAll(/<(?:script type="module"[^>]*src|link rel="modulepreload"[^>]*href)="\.\/([^"]+)"/g)]
    .map((match) => `/${match[1]}`)
    .sort();
}

/** A guest in a new profile, `prepare`d first (routes, request listeners). */
const signInWith = (
  chat: Chat,
  name: string,
  prepare: (context: BrowserContext) => Promise<unknown>,
): Promise<Person> => signIn(chat.browser, chat.url, name, undefined, prepare);

describe('the parts of the client loaded on first use', () => {
  const chat = suiteChat(webDist);

  test('the first load fetches only the scripts index.html names; a dialog fetches its chunk when opened', async () => {
    // Each part is a chunk of its own: a static import of it anywhere would fold it into the entry.
    const assets = await readdir(path.join(await webDist(), 'assets'));
    for (const part of lazyParts)
      assert.ok(
        assets.some((file) => file.startsWith(`${part}-`) && file.endsWith('.js')),
        part,
      );

    const scripts: string[] = [];
    const ann = await signInWith(chat, 'Ann', async (context) => {
      context.on('request', (request) => {
        const { pathname } = new URL(request.url());
        if (pathname.startsWith('/assets/') && pathname.endsWith('.js')) scripts.push(pathname);
      });
    });
    const atFirstPaint = [...scripts].sort();
    assert.ok(atFirstPaint.length > 1, 'the entry and its chunks');
    assert.deepEqual(
      atFirstPaint.filter((script) => !lazyChunk.test(script)),
      await upFrontScripts(),
      'up front: what index.html names',
    );

    // The search dialog's chunk comes once the chat is idle (Ctrl/Cmd+K); no other part's does.
    await waitFor(() => scripts.some((script) => script.includes('/SearchDialog-')), { what: 'the search chunk' });
    assert.deepEqual(
      scripts.filter((script) => lazyChunk.test(script)).map((script) => script.replace(/-[\w-]+\.js$/, '')),
      ['/assets/SearchDialog'],
    );

    await roomMenu(ann, 'Members');
    await ann.page.getByRole('dialog', { name: 'Members of #lobby' }).getByRole('list', { name: 'Members' }).waitFor();
    assert.ok(scripts.some((script) => script.includes('/MembersDialog-')));
    await ann.context.close();
  });

  test('a slow chunk shows a loading state, then the dialog', async () => {
    let release: (() => void) | undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    const bea = await signInWith(chat, 'Bea', (context) =>
      context.route(searchChunk, async (route: Route) => {
        await held;
        await route.continue();
      }),
    );
    await bea.page.keyboard.press('Control+k');
    await bea.page.getByRole('status').filter({ hasText: 'Loading…' }).waitFor();
    release?.();
    await bea.page.getByRole('dialog', { name: 'Search messages' }).getByRole('combobox').waitFor();
    assert.equal(await bea.page.getByRole('status').filter({ hasText: 'Loading…' }).count(), 0);
    await bea.context.close();
  });

  test('a chunk that fails to load (a redeployed server) shows an error with Reload, and the chat stays', async () => {
    const cy = await signInWith(chat, 'Cy', (context) => context.route(searchChunk, (route) => route.abort()));
    await cy.page.keyboard.press('Control+k');
    const alert = cy.page.getByRole('alert').filter({ hasText: 'could not be loaded' });
    await alert.waitFor();
    assert.ok(await cy.composer.isVisible(), 'the chat is still there');

    await alert.getByRole('button', { name: 'Close' }).click();
    await alert.waitFor({ state: 'detached' });
    await cy.composer.fill('still chatting');

    await cy.page.keyboard.press('Control+k');
    await alert.waitFor();
    await cy.context.unroute(searchChunk);
    await alert.getByRole('button', { name: 'Reload' }).click();
    await cy.composer.waitFor();
    await cy.page.keyboard.press('Control+k');
    await cy.page.getByRole('dialog', { name: 'Search messages' }).getByRole('combobox').waitFor();
    await cy.context.close();
  });
});
