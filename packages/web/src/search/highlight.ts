/*
 * Which parts of a message a search query matched, worked out in the client from the query
 * alone (the server answers messages, not offsets). The rules are the server's
 * (chat/search-query.ts, search-ranking.ts): text and query folded (lower case, Latin, Greek and
 * Cyrillic accents dropped); each unquoted word of the query is found as it is typed, best at the
 * start of a word (`deplo` in "Deployment") but inside one too; "quoted words" are found in a row
 * (a phrase). Scripts written without spaces (Chinese, Japanese) need nothing more: a word there
 * is any substring. What is marked is what was found, not the whole word around it.
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

// The combining diacritics block only, as the server: kana's voiced marks (U+3099) stay.
const DIACRITICS = /[\u0300-\u036f]/g;

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
    // NFD again after lower-casing ("İ" lower-cases to i + a combining dot); NFC at the end puts
    // back together what kept its mark (が), as the server does.
    const folded = char.normalize('NFD').toLowerCase().normalize('NFD').replace(DIACRITICS, '').normalize('NFC');
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

/** The words and "quoted phrases" of a query, folded; an unclosed quote runs to the end. */
export function parseQuery(query: string): QueryTerm[] {
  const terms: QueryTerm[] = [];
  for (const [, quoted, bare] of fold(query).text.matchAll(/"([^"]*)"?|([^\s"]+)/g)) {
    const words = (quoted ?? bare ?? '').split(/\s+/).filter(Boolean);
    if (words.length > 0) terms.push({ words, phrase: quoted !== undefined && words.length > 1 });
  }
  return terms;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Folded ranges of one term: every place it occurs, a phrase's words with any spaces between. */
function termRanges(term: QueryTerm, folded: string): Range[] {
  const pattern = new RegExp(term.words.map(escapeRegExp).join('\\s+'), 'gu');
  return [...folded.matchAll(pattern)].map((m) => ({ start: m.index, end: m.index + m[0].length }));
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
  const ranges = terms.flatMap((term) => termRanges(term, folded.text));
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
