import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fold, parseSearchQuery } from '../../src/chat/search-query.ts';
import { rank, relevance, termScore } from '../../src/chat/search-ranking.ts';

describe('search query', () => {
  test('words one by one, "quoted words" as one term, folded, without duplicates', () => {
    assert.deepEqual(parseSearchQuery('Deploy  "Release   NOTES" café deploy'), ['deploy', 'release notes', 'cafe']);
    assert.deepEqual(parseSearchQuery('"unclosed phrase'), ['unclosed phrase']);
    assert.deepEqual(parseSearchQuery('  ""  " " '), []);
  });

  test('fold: case and Latin accents go, kana voiced marks stay', () => {
    assert.equal(fold('Ça Été MÜLLER Noël'), 'ca ete muller noel');
    assert.equal(fold('ガギ'), 'ガギ');
    assert.equal(fold('ПРИВЕТ'), 'привет');
  });
});

describe('search ranking', () => {
  test('a whole word beats a prefix, which beats a match inside a word; repeats add a little', () => {
    assert.ok(termScore('an avocado', 'avocado') > termScore('avocados', 'avocado'));
    assert.ok(termScore('avocados', 'avocado') > termScore('xavocado', 'avocado'));
    assert.ok(termScore('avocado avocado', 'avocado') > termScore('avocado', 'avocado'));
    assert.equal(termScore('pear', 'avocado'), 0);
  });

  test('CJK: any match counts as a word start (no spaces to start words)', () => {
    assert.equal(termScore('我们明天在北京开会', '北京'), termScore('北京', '北京'));
  });

  test('a candidate missing a term is dropped; equal relevance: the newest first', () => {
    assert.equal(relevance('Deploy now', ['deploy', 'later']), 0);
    const ranked = rank(
      [
        { id: 'old', room: 'r', text: 'marmalade', order: 1 },
        { id: 'new', room: 'r', text: 'marmalade', order: 2 },
        { id: 'miss', room: 'r', text: 'jam', order: 3 },
        { id: 'inside', room: 'r', text: 'xmarmalade', order: 4 },
      ],
      ['marmalade'],
      10,
    );
    assert.deepEqual(
      ranked.map((c) => c.id),
      ['new', 'old', 'inside'],
    );
  });
});
