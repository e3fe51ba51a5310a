/**
 * A search query as the stores and the ranking see it: folded terms, each a
 * substring to find. Unquoted words are terms one by one; "quoted words" are
 * one term, spaces included (a phrase). Whitespace runs become one space.
 */

/** Lower case without Latin, Greek or Cyrillic accents: what every store and the ranking compare. */
export function fold(text: string): string {
  // Only the combining diacritics block (U+0300-U+036F): kana's voiced marks (U+3099) stay.
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .normalize('NFC')
    .toLowerCase();
}

/** Whether the text holds every (folded) term: what a store's candidates must at least include. */
export function containsAll(text: string, terms: readonly string[]): boolean {
  const folded = fold(text);
  return terms.every((term) => folded.includes(term));
}

/** The terms of a query, folded, without duplicates; empty if it has none. */
export function parseSearchQuery(q: string): string[] {
  const terms: string[] = [];
  const pattern = /"([^"]*)"?|([^\s"]+)/g;
  for (const match of fold(q).matchAll(pattern)) {
    const phrase = match[1];
    if (phrase !== undefined) {
      const words = phrase.trim().split(/\s+/).filter(Boolean);
      if (words.length > 0) terms.push(words.join(' '));
    } else if (match[2]) {
      terms.push(match[2]);
    }
  }
  return [...new Set(terms)];
}
