import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import type { AuthAnswer } from '@pockychat/protocol';
import { ChatClient, guest } from '../helpers/clients.ts';
import { gifHeader } from '../helpers/images.ts';
import { upload } from '../helpers/uploads.ts';
import { waitFor } from '../helpers/wait-for.ts';
import { recordFigures } from './helpers/figures.ts';
// The web client's own test fixture: the same build, server and browser as its end-to-end tests.
import { buildClient } from '../../../web/test/e2e/helpers/build-client.ts';
import { startChat, type Chat } from '../../../web/test/e2e/helpers/chat.ts';

/** Each payload, if anything ran it, would set window.__pwned (or call alert, which would open a dialog). */
const payloads = [
  '<img src=x onerror="window.__pwned=1;alert(1)">',
  '<svg onload="window.__pwned=2;alert(2)"></svg>',
  '<svg><script>window.__pwned=3</script></svg>',
  'javascript:window.__pwned=4;alert(4)',
  '[click me](javascript:window.__pwned=5)',
  'https://example.com/"><img src=x onerror=window.__pwned=6>',
  'see http://example.com/#<script>window.__pwned=7</script> now',
  '<iframe srcdoc="<script>parent.__pwned=8</script>"></iframe>',
  '<a href="javascript:window.__pwned=9">x</a>',
  'JaVaScRiPt:window.__pwned=10',
  '<math><mtext><table><mglyph><style><img src=x onerror=window.__pwned=11>',
  '\u202Egnp.exe <img src=x onerror=window.__pwned=12>',
  // Markdown: links and images to scripts and data, raw HTML inside constructs, encoded schemes.
  '[x](data:text/html,<script>window.__pwned=30</script>)',
  '![x](javascript:window.__pwned=31)',
  '[![x](https://example.com/i.png)](javascript:window.__pwned=32)',
  '<javascript:window.__pwned=33>',
  '**[bold](vbscript:window.__pwned=34)** _<img src=x onerror=window.__pwned=35>_',
  '> - [nested](javascript:window.__pwned=36)\n>   `<script>window.__pwned=37</script>`',
  '[x](  javascript:window.__pwned=38 )',
  '[x](&#106;avascript:window.__pwned=39)',
  '```html\n<script>window.__pwned=40</script>\n```',
  '[ref]\n\n[ref]: javascript:window.__pwned=41',
  '<https://example.com/"onmouseover="window.__pwned=42>',
  '<details open ontoggle="window.__pwned=43">x</details>',
];

interface Person {
  context: BrowserContext;
  page: Page;
  dialogs: string[];
  violations: string[];
}

describe('hardening: hostile text and files in a real browser (Chromium)', () => {
  let chat: Chat;
  let mallory: AuthAnswer;
  let ann: Person;
  let tried = 0;
  const started = Date.now();

  before(
    async () => {
      chat = await startChat({ dist: await buildClient('hardening'), env: { RATE_LIMIT_MESSAGES: '1000' } });
      const { browser } = chat;
      mallory = await guest(chat.server.url, '<img src=x onerror=window.__pwned=13>');
      const context = await browser.newContext({ acceptDownloads: true });
      const page = await context.newPage();
      ann = { context, page, dialogs: [], violations: [] };
      page.on('dialog', (dialog) => {
        ann.dialogs.push(dialog.message());
        void dialog.dismiss();
      });
      await page.exposeFunction('__reportViolation', (what: string) => ann.violations.push(what));
      // Strings, not functions: this package is type-checked without the DOM library.
      await page.addInitScript(
        "document.addEventListener('securitypolicyviolation', (e) => window.__reportViolation(e.violatedDirective))",
      );
      await page.goto(chat.server.url);
      await page.getByLabel('Name').fill('Ann');
      await page.getByRole('button', { name: 'Join as guest' }).click();
      await page.getByLabel('Message', { exact: true }).waitFor();
    },
    { timeout: 90_000 },
  );

  after(() => chat?.close(), { timeout: 30_000 });

  const pwned = (page: Page) => page.evaluate('window.__pwned');

  test('the page is sent with a strict Content-Security-Policy, and the browser enforces it', async () => {
    const response = await fetch(chat.server.url, { headers: { accept: 'text/html' } });
    assert.equal(response.status, 200);
    const csp = response.headers.get('content-security-policy') ?? '';
    const directive = (name: string) =>
      csp
        .split(';')
        .find((d) => d.trim().startsWith(`${name} `))
        ?.trim() ?? '';
    assert.equal(directive('script-src'), "script-src 'self'", csp);
    assert.equal(directive('object-src'), "object-src 'none'");
    assert.equal(directive('frame-ancestors'), "frame-ancestors 'none'");
    assert.match(directive('default-src'), /'self'/);
    assert.doesNotMatch(csp, /'unsafe-eval'/);
    assert.doesNotMatch(directive('script-src'), /unsafe/);
    assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
    // Enforced: an inline script added to the page does not run, and the browser reports the violation.
    await ann.page.evaluate(
      "{ const script = document.createElement('script'); script.textContent = 'window.__inline = 1'; document.body.append(script); }",
    );
    await waitFor(() => ann.violations.includes('script-src-elem') || ann.violations.includes('script-src'));
    assert.equal(await ann.page.evaluate('window.__inline'), undefined);
  });

  test('messages carrying HTML, javascript: links and event handlers are shown as text and run nothing', async () => {
    const socket = await ChatClient.connect(chat.server.url, mallory.token);
    await socket.join('lobby');
    for (const [i, text] of payloads.entries()) {
      tried++;
      socket.send({ type: 'send', room: 'lobby', clientId: `xss-${i}`, text });
    }
    await waitFor(() => socket.of('ack').length === payloads.length);
    const log = ann.page.getByRole('log');
    // Every payload is on screen as a message (Markdown shapes the text; raw HTML is shown as text)...
    const messages = log.locator('li.message .message__text');
    await waitFor(async () => (await messages.count()) === payloads.length, { timeoutMs: 15_000 });
    const shown = (await messages.allTextContents()).join('\n');
    assert.match(shown, /<script>window.__pwned=40<\/script>/, 'a code block shows its HTML as text');
    // ...and nothing of it became markup: no img, iframe, script, math, details; the only svgs are action icons.
    assert.equal(await log.locator('img, iframe, script, math, style, object, embed, details, svg a').count(), 0);
    assert.equal(await log.locator('svg').count(), await log.locator('.message__actions svg').count());
    assert.equal(await log.locator('[onerror], [onload], [srcdoc], [onmouseover], [ontoggle]').count(), 0);
    // Links are http(s) only.
    for (const link of await log.locator('a').all()) {
      const href = (await link.getAttribute('href')) ?? '';
      assert.match(href, /^https?:\/\//, href);
      assert.equal(await link.getAttribute('rel'), 'noopener noreferrer nofollow');
    }
    // The author's name is hostile too: shown, not run.
    const author = (await log.locator('.message__author').first().textContent()) ?? '';
    assert.ok(author.startsWith(mallory.user.name), author);
    // Hovering and clicking the messages and their links runs nothing either (links open new tabs: not followed).
    for (const item of await log.locator('li.message .message__text :is(p, span, li, code):visible').all()) {
      await item.click();
    }
    await ann.page.waitForTimeout(300);
    assert.equal(await pwned(ann.page), undefined);
    assert.deepEqual(ann.dialogs, []);
    socket.close();
  });

  test('an uploaded HTML file, SVG with script, or GIF/HTML polyglot opened in the browser runs nothing', async () => {
    const files: Array<[string, string | Buffer, string]> = [
      [
        'evil.html',
        '<html><body><script>window.__pwned=20;alert(20)</script><h1>pwned</h1></body></html>',
        'text/html',
      ],
      [
        'evil.svg',
        '<svg xmlns="http://www.w3.org/2000/svg" onload="window.__pwned=21;alert(21)"><script>window.__pwned=22</script></svg>',
        'image/svg+xml',
      ],
      ['poly.gif', gifHeader(10, 10, '<html><script>window.__pwned=23;alert(23)</script></html>'), 'text/html'],
      ['<img src=x onerror=window.__pwned=24>.html', '<script>window.__pwned=24</script>', 'text/html'],
    ];
    const opened: string[] = [];
    for (const [i, [name, bytes, type]] of files.entries()) {
      tried++;
      const answer = await upload(chat.server.url, mallory.token, 'lobby', bytes, {
        clientId: `file-${i}`,
        name,
        type,
        text: `file ${name}`,
      });
      assert.equal(answer.status, 201, name);
      const url = `${chat.server.url}${answer.body.message.file.url as string}`;
      const page = await ann.context.newPage();
      page.on('dialog', (dialog) => {
        ann.dialogs.push(dialog.message());
        void dialog.dismiss();
      });
      const download = page.waitForEvent('download', { timeout: 5000 }).then(
        () => 'download',
        () => undefined,
      );
      const navigation = await page.goto(url).then(
        (r) => r,
        (err: Error) => (/Download is starting/.test(err.message) ? null : Promise.reject(err)),
      );
      if (navigation) {
        // Shown in the browser: only an image, as an image, in a sandboxed document.
        assert.equal(navigation.headers()['content-type'], 'image/gif', name);
        assert.match(navigation.headers()['content-security-policy'] ?? '', /sandbox/);
        assert.equal(await page.locator('script').count(), 0, `${name}: no script element in the document`);
        opened.push(`${name}: image`);
      } else {
        assert.equal(await download, 'download', `${name} is downloaded, never rendered`);
        opened.push(`${name}: download`);
      }
      await page.waitForTimeout(200);
      assert.equal(await pwned(page), undefined, name);
      await page.close();
    }
    // The file messages (their hostile names and text) reached Ann's page as text.
    await ann.page.getByRole('log').getByText(`file ${files[3]?.[0]}`, { exact: true }).waitFor();
    assert.equal(await pwned(ann.page), undefined);
    assert.deepEqual(ann.dialogs, []);
    assert.deepEqual(opened, [
      'evil.html: download',
      'evil.svg: download',
      'poly.gif: image',
      '<img src=x onerror=window.__pwned=24>.html: download',
    ]);
    recordFigures({
      scenario: 'browser-xss',
      title: 'Hostile messages, names and uploaded files in headless Chromium',
      badInputs: tried,
      serverUp: (await fetch(`${chat.server.url}/healthz`)).ok,
      durationMs: Date.now() - started,
      details: {
        'scripts run': 0,
        'dialogs opened': ann.dialogs.length,
        'CSP violations reported': ann.violations.length,
      },
    });
  });
});
