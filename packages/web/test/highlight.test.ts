import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { excerpt, fold, highlightParts, matchRanges, parseQuery } from '../src/search/highlight.ts';

/** The marked runs of `text`, in order. */
function marked(text: string, query: string): string[] {
  return highlightParts(text, query, 10_000)
    .filter((part) => part.match)
    .map((part) => part.text);
}

describe('search highlight: the query', () => {
  test('words and "quoted phrases", folded, as the server reads them; an unclosed quote runs to the end', () => {
    assert.deepEqual(parseQuery('Déploy  "Release   Notes" v2.1'), [
      { words: ['deploy'], phrase: false },
      { words: ['release', 'notes'], phrase: true },
      { words: ['v2.1'], phrase: false },
    ]);
    assert.deepEqual(parseQuery('"big cat'), [{ words: ['big', 'cat'], phrase: true }]);
    assert.deepEqual(parseQuery('"one"'), [{ words: ['one'], phrase: false }]);
    assert.deepEqual(parseQuery('  " " '), []);
  });

  test('folding keeps offsets back to the original text', () => {
    const folded = fold('Ça İs');
    assert.equal(folded.text, 'ca is');
    assert.deepEqual(folded.starts, [0, 1, 2, 3, 4]);
  });
});

describe('search highlight: matches', () => {
  test('a word is marked where it was found: at the start of a word, or inside one', () => {
    assert.deepEqual(marked('The Deployment is done; redeploy later', 'deplo'), ['Deplo', 'deplo']);
    assert.deepEqual(marked('nothing here', 'deplo'), []);
  });

  test('case- and accent-insensitively, both ways, marking the original characters', () => {
    assert.deepEqual(marked('Café CRÈME', 'cafe creme'), ['Café', 'CRÈME']);
    assert.deepEqual(marked('cafe creme', 'CAFÉ'), ['cafe']);
    assert.deepEqual(marked('Straße İstanbul', 'stra istanbul'), ['Stra', 'İstanbul']);
    // A decomposed accent (e + U+0301) is marked with its mark.
    assert.deepEqual(marked('cafe\u0301 noir', 'cafe'), ['cafe\u0301']);
  });

  test('a phrase matches its words in a row only', () => {
    assert.deepEqual(marked('release notes, and notes of the release', '"release notes"'), ['release notes']);
    assert.deepEqual(marked('Release\n  notes!', '"release notes"'), ['Release\n  notes']);
    assert.deepEqual(marked('notes release', '"release notes"'), []);
    assert.deepEqual(marked('release, notes', '"release notes"'), []);
  });

  test('in Chinese or Japanese a word matches anywhere, as a substring', () => {
    assert.deepEqual(marked('明日は東京タワーに行く', '東京'), ['東京']);
    assert.deepEqual(marked('我在北京工作', '北京工'), ['北京工']);
    assert.deepEqual(marked('東京tower', 'tow'), ['tow']);
    assert.deepEqual(marked('大阪', '東京'), []);
    // Kana's voiced marks are not accents: か does not find が.
    assert.deepEqual(marked('がか', 'か'), ['か']);
  });

  test('overlapping matches are marked once; emoji and other scripts keep their offsets', () => {
    assert.deepEqual(marked('deployment', 'de deploy'), ['deploy']);
    assert.deepEqual(marked('🎉 Привет мир', 'прив'), ['Прив']);
    const text = '🎉 Привет';
    assert.deepEqual(matchRanges(text, 'прив'), [{ start: 3, end: 7 }]);
  });

  test('the text is cut into runs that put the whole text back together', () => {
    const parts = highlightParts('say deploy now', 'deploy');
    assert.deepEqual(parts, [
      { text: 'say ', match: false },
      { text: 'deploy', match: true },
      { text: ' now', match: false },
    ]);
    assert.deepEqual(highlightParts('no match', 'zzz'), [{ text: 'no match', match: false }]);
  });
});

describe('search highlight: excerpts of long messages', () => {
  test('a long text is cut around its first match, with ellipses', () => {
    const text = `${'a '.repeat(200)}needle${' b'.repeat(200)}`;
    const parts = highlightParts(text, 'needle', 60);
    const shown = parts.map((p) => p.text).join('');
    assert.ok(shown.startsWith('…') && shown.endsWith('…'));
    assert.ok(shown.length <= 62);
    assert.deepEqual(
      parts.filter((p) => p.match).map((p) => p.text),
      ['needle'],
    );
  });

  test('a short text is whole; a cut never splits an emoji', () => {
    assert.deepEqual(excerpt('short', [], 10), { text: 'short', ranges: [] });
    const text = `x${'😀'.repeat(20)}`;
    const cut = excerpt(text, [], 10);
    assert.doesNotMatch(cut.text, /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
  });
});
