import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { linkify, safeHref } from '../src/state/linkify.ts';

describe('linkify', () => {
  test('plain text stays one text segment, HTML included', () => {
    const html = '<img src=x onerror="alert(1)"> <b>bold</b>';
    assert.deepEqual(linkify(html), [{ kind: 'text', text: html }]);
  });

  test('http and https URLs become links with the text around them kept', () => {
    assert.deepEqual(linkify('see https://example.com/a?b=1 and http://x.org.'), [
      { kind: 'text', text: 'see ' },
      { kind: 'link', text: 'https://example.com/a?b=1', href: 'https://example.com/a?b=1' },
      { kind: 'text', text: ' and ' },
      { kind: 'link', text: 'http://x.org', href: 'http://x.org/' },
      { kind: 'text', text: '.' },
    ]);
  });

  test('javascript:, data: and other schemes are never links', () => {
    for (const text of ['javascript:alert(1)', 'data:text/html,<script>1</script>', 'vbscript:x', 'file:///etc']) {
      assert.deepEqual(linkify(text), [{ kind: 'text', text }]);
    }
    assert.equal(safeHref('javascript:alert(1)'), undefined);
    assert.equal(safeHref('JaVaScRiPt:alert(1)'), undefined);
  });

  test('a URL cannot smuggle a javascript: link through its text', () => {
    const segments = linkify('https://a.com/"onclick="x javascript:alert(1)');
    const links = segments.filter((s) => s.kind === 'link');
    assert.deepEqual(links, [{ kind: 'link', text: 'https://a.com/', href: 'https://a.com/' }]);
  });

  test('a closing parenthesis belongs to the URL only when it opened inside it', () => {
    assert.deepEqual(linkify('(https://en.wikipedia.org/wiki/Foo_(bar))'), [
      { kind: 'text', text: '(' },
      {
        kind: 'link',
        text: 'https://en.wikipedia.org/wiki/Foo_(bar)',
        href: 'https://en.wikipedia.org/wiki/Foo_(bar)',
      },
      { kind: 'text', text: ')' },
    ]);
  });

  test('an empty text has no segments', () => {
    assert.deepEqual(linkify(''), []);
  });
});
