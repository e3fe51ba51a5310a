import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import Markdown from 'react-markdown';
import { markdownOptions, safeLinkHref } from '../src/components/markdown-options.ts';

const render = (text: string) => renderToStaticMarkup(createElement(Markdown, { ...markdownOptions, children: text }));

describe('message Markdown', () => {
  test('bold, italics, code, code blocks, quotes and lists become their elements', () => {
    assert.equal(render('**b** _i_ `c`'), '<p><strong>b</strong> <em>i</em> <code>c</code></p>');
    assert.match(render('```\nx < 1\n```'), /^<pre><code>x &lt; 1\n<\/code><\/pre>$/);
    assert.match(render('> quoted'), /<blockquote>\s*<p>quoted<\/p>\s*<\/blockquote>/);
    assert.match(render('- a\n- b'), /<ul>\s*<li>a<\/li>\s*<li>b<\/li>\s*<\/ul>/);
    assert.match(render('1. a\n2. b'), /<ol>/);
  });

  test('a single line break stays a line break', () => {
    assert.equal(render('one\ntwo'), '<p>one<br/>\ntwo</p>');
  });

  test('links: http(s) and mailto, opened in a new tab without referrer; bare URLs too', () => {
    assert.equal(
      render('[site](https://example.com/a)'),
      '<p><a href="https://example.com/a" target="_blank" rel="noopener noreferrer nofollow">site</a></p>',
    );
    assert.match(render('see https://x.org/p.'), /<a href="https:\/\/x.org\/p"[^>]*>https:\/\/x.org\/p<\/a>\./);
    assert.match(render('[me](mailto:a@b.c)'), /href="mailto:a@b.c"/);
  });

  test('javascript:, data: and vbscript: links are plain text', () => {
    for (const href of [
      'javascript:alert(1)',
      'JaVaScRiPt:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'vbscript:x',
      ' javascript:alert(1)',
    ]) {
      const html = render(`[click](${href})`);
      assert.doesNotMatch(html, /<a /, href);
      assert.doesNotMatch(html, /href=/i, href);
    }
    assert.doesNotMatch(render('<javascript:alert(1)>'), /href/);
    assert.equal(safeLinkHref('javascript:alert(1)'), undefined);
    assert.equal(safeLinkHref('/relative'), undefined);
  });

  test('raw HTML is shown as its text, never rendered', () => {
    for (const text of [
      '<img src=x onerror="alert(1)">',
      '<script>alert(1)</script>',
      'a <b onmouseover="alert(1)">b</b> c',
      '<iframe src="javascript:alert(1)"></iframe>',
      '<div>\n\n**x**\n\n</div>',
      '<!-- hidden? --> <details open ontoggle="alert(1)">',
    ]) {
      const html = render(text);
      assert.doesNotMatch(html, /<(img|script|iframe|b|div|details)\b/i, text);
      // The only tags are those Markdown made; every < of the text is escaped.
      assert.doesNotMatch(html.replace(/<\/?(p|strong)>/g, ''), /</, text);
    }
    assert.equal(render('use a <details> element'), '<p>use a &lt;details&gt; element</p>');
    assert.equal(render('<b>bold?</b>'), '<p>&lt;b&gt;bold?&lt;/b&gt;</p>');
    assert.equal(
      render('<ul>\n  <li>a</li>\n</ul>'),
      '<p>&lt;ul&gt;<br/>\n&lt;li&gt;a&lt;/li&gt;<br/>\n&lt;/ul&gt;</p>',
    );
    assert.equal(
      render('<div>\n\n**x**\n\n</div>'),
      '<p>&lt;div&gt;</p>\n<p><strong>x</strong></p>\n<p>&lt;/div&gt;</p>',
    );
  });

  test('images and nested constructs give no image, no attribute from the text', () => {
    const html = render('![x](https://e.com/i.png "t") > **[a](javascript:1)** `<script>`\n> - [b](data:x)');
    assert.doesNotMatch(html, /<img|href="(javascript|data)/i);
    assert.match(html, /&lt;script&gt;/);
    assert.doesNotMatch(render('[![x](javascript:alert(1))](javascript:alert(1))'), /href|<img/);
  });
});
