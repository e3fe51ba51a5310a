import type { SearchCandidate } from './ports/search-store.ts';
import { fold } from './search-query.ts';

/** A letter or digit: a term that starts after one matches inside a word, not at its start. */
const WORD_CHAR = /[\p{L}\p{N}_]/u;
/** Scripts written without spaces: any match there counts as a word's start. */
const UNSPACED = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}]/u;

/**
 * How well a folded text matches one term: 3 a whole word, 2 a word's start
 * (the prefix match the contract promises), 1 inside a word; 0 not at all.
 * Repeats add a little, up to twice.
 */
export function termScore(text: string, term: string): number {
  let best = 0;
  let repeats = 0;
  for (let at = text.indexOf(term); at !== -1; at = text.indexOf(term, at + 1)) {
    repeats++;
    const before = text[at - 1];
    const after = text[at + term.length];
    const starts = before === undefined || !WORD_CHAR.test(before) || UNSPACED.test(term[0] ?? '');
    const ends = after === undefined || !WORD_CHAR.test(after) || UNSPACED.test(term.at(-1) ?? '');
    best = Math.max(best, starts ? (ends ? 3 : 2) : 1);
  }
  return best === 0 ? 0 : best * 10 + Math.min(repeats - 1, 2);
}

/** A candidate's relevance: the sum over terms, or 0 if a term is missing (so it is dropped). */
export function relevance(text: string, terms: readonly string[]): number {
  const folded = fold(text);
  let total = 0;
  for (const term of terms) {
    const score = termScore(folded, term);
    if (score === 0) return 0;
    total += score;
  }
  return total;
}

/** The best `limit` candidates: by relevance, then newest first. */
export function rank(
  candidates: readonly SearchCandidate[],
  terms: readonly string[],
  limit: number,
): SearchCandidate[] {
  return candidates
    .map((candidate) => ({ candidate, score: relevance(candidate.text, terms) }))
    .filter(({ score }) => score > 0)
    .sort((a, b) => b.score - a.score || b.candidate.order - a.candidate.order)
    .slice(0, limit)
    .map(({ candidate }) => candidate);
}
