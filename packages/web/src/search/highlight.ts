/*
 * Which parts of a message a search query matched, worked out in the client from the query
 * alone (the server answers messages, not offsets). The rules follow the server's: a word matches
 * the start of a word of the text (`deplo` in "Deployment"), case- and accent-insensitively;
 * "quoted words" match as a phrase; in scripts written without spaces (Chinese, Japanese, Thai)
 * a word matches anywhere, as a substring.
 */

/** A part of the original text, [start, end) in UTF-16 offsets. */
export interface Range {
  start: number;
  end: number;
}

/** The text cut into runs, the matched ones to show marked. */
export interface Part {
  text: string;
  match: boolean;
}

/** One thing the query asks for: a word, or the words of a phrase in a row. */
export interface QueryTerm {
  /** Folded (lower case, no accents). */
  words: string[];
  phrase: boolean;
}

const unspaced = '\\p{sc=Han}\\p{sc=Hiragana}\\p{sc=Katakana}\\p{sc=Thai}\\p{sc=Lao}\\p{sc=Khmer}\\p{sc=Myanmar}';
const UNSPACED = new RegExp(`[${unspaced}]`, 'u');
// A word: a run of letters and digits, a run in an unspaced script standing apart from the rest
// ("東京tower" is two words), as the server's tokenizer cuts it.
const WORD = new RegExp(`[${unspaced}]+|(?:(?![${unspaced}])[\\p{L}\\p{N}])+`, 'gu');
const MARKS = /\p{M}/gu;

/** Text folded for comparison, with where each of its UTF-16 units came from in the original. */
interface Folded {
  text: string;
  starts: number[];
  ends: number[];
}

/** Lower case and without diacritics (NFD, marks dropped), keeping the offsets back to the original. */
export function fold(text: string): Folded {
  let out = '';
  const starts: number[] = [];
  const ends: number[] = [];
  let offset = 0;
  for (const char of text) {
    // NFD again after lower-casing: "İ" lower-cases to i + a combining dot.
    const folded = char.normalize('NFD').toLowerCase().normalize('NFD').replace(MARKS, '');
    // A combining mark of its own (e + U+0301) belongs to the letter before it.
    if (folded === '' && ends.length > 0) ends[ends.length - 1] = offset + char.length;
    for (let i = 0; i < folded.length; i++) {
      starts.push(offset);
      ends.push(offset + char.length);
    }
    out += folded;
    offset += char.length;
  }
  return { text: out, starts, ends };
}

function wordsOf(folded: string): string[] {
  return folded.match(WORD) ?? [];
}

/** The words and "quoted phrases" of a query; an unclosed quote runs to the end. */
export function parseQuery(query: string): QueryTerm[] {
  const terms: QueryTerm[] = [];
  for (const [, quoted, bare] of query.matchAll(/"([^"]*)"?|([^\s"]+)/g)) {
    const words = wordsOf(fold(quoted ?? bare ?? '').text);
    if (quoted !== undefined && words.length > 1) terms.push({ words, phrase: true });
    else for (const word of words) terms.push({ words: [word], phrase: false });
  }
  return terms;
}

interface Token {
  text: string;
  start: number;
  end: number;
}

function tokensOf(folded: string): Token[] {
  return [...folded.matchAll(WORD)].map((m) => ({ text: m[0], start: m.index, end: m.index + m[0].length }));
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Folded ranges of one term. */
function termRanges(term: QueryTerm, folded: string, tokens: Token[]): Range[] {
  if (term.words.some((word) => UNSPACED.test(word))) {
    // Anywhere, the words of a phrase with only spaces or punctuation between them.
    const pattern = new RegExp(term.words.map(escapeRegExp).join('[^\\p{L}\\p{N}]*'), 'gu');
    return [...folded.matchAll(pattern)].map((m) => ({ start: m.index, end: m.index + m[0].length }));
  }
  const ranges: Range[] = [];
  const n = term.words.length;
  for (let i = 0; i + n <= tokens.length; i++) {
    const row = tokens.slice(i, i + n);
    if (!row.every((token, k) => token.text.startsWith(term.words[k] ?? ''))) continue;
    const first = row[0];
    const last = row[n - 1];
    // The whole word is marked, not only the prefix typed: it is the word that matched.
    if (first && last) ranges.push({ start: first.start, end: last.end });
  }
  return ranges;
}

/** Sorted, overlapping or touching ranges joined. */
function merge(ranges: Range[]): Range[] {
  const sorted = [...ranges].sort((a, b) => a.start - b.start || a.end - b.end);
  const out: Range[] = [];
  for (const range of sorted) {
    const last = out.at(-1);
    if (last && range.start <= last.end) last.end = Math.max(last.end, range.end);
    else out.push({ ...range });
  }
  return out;
}

/** The parts of `text` the query matched, in the original's offsets, sorted and disjoint. */
export function matchRanges(text: string, query: string | QueryTerm[]): Range[] {
  const terms = typeof query === 'string' ? parseQuery(query) : query;
  if (terms.length === 0 || text === '') return [];
  const folded = fold(text);
  const tokens = tokensOf(folded.text);
  const ranges = terms.flatMap((term) => termRanges(term, folded.text, tokens));
  return merge(
    ranges
      .filter((r) => r.end > r.start)
      .map((r) => ({ start: folded.starts[r.start] ?? 0, end: folded.ends[r.end - 1] ?? text.length })),
  );
}

/** How much of a long message a result shows, around its first match. */
export const EXCERPT_CHARS = 160;
// Words shown before the first match, so it does not start the line cold.
const LEAD_CHARS = 40;

/** A window of a long text around its first match, with an ellipsis where it was cut. */
export function excerpt(text: string, ranges: Range[], max = EXCERPT_CHARS): { text: string; ranges: Range[] } {
  if (text.length <= max) return { text, ranges };
  let start = Math.max(0, Math.min((ranges[0]?.start ?? 0) - LEAD_CHARS, text.length - max));
  // Not inside a surrogate pair (an emoji): cut before it.
  if (isLowSurrogate(text.charCodeAt(start))) start -= 1;
  let end = Math.min(text.length, start + max);
  if (isLowSurrogate(text.charCodeAt(end))) end += 1;
  const head = start > 0 ? '…' : '';
  const tail = end < text.length ? '…' : '';
  const shift = head.length - start;
  const inside = ranges
    .filter((r) => r.end > start && r.start < end)
    .map((r) => ({ start: Math.max(r.start, start) + shift, end: Math.min(r.end, end) + shift }));
  return { text: head + text.slice(start, end) + tail, ranges: inside };
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

/** The text as runs, the matched ones marked: what a result renders, each match in a <mark>. */
export function highlightParts(text: string, query: string | QueryTerm[], max?: number): Part[] {
  const cut = excerpt(text, matchRanges(text, query), max);
  const parts: Part[] = [];
  let at = 0;
  for (const range of cut.ranges) {
    if (range.start > at) parts.push({ text: cut.text.slice(at, range.start), match: false });
    parts.push({ text: cut.text.slice(range.start, range.end), match: true });
    at = range.end;
  }
  if (at < cut.text.length) parts.push({ text: cut.text.slice(at), match: false });
  return parts;
}
