/** A piece of message text: plain text, or a link that is safe to make clickable. */
export type TextSegment = { kind: 'text'; text: string } | { kind: 'link'; text: string; href: string };

// Only http(s) URLs become links; `javascript:`, `data:` and friends stay plain text.
const urlPattern = /\bhttps?:\/\/[^\s<>"'`]+/gi;
// Punctuation that usually ends a sentence rather than a URL.
const trailingPunctuation = /[.,;:!?)\]}'"]+$/;

/** Splits text into text and link segments. Never produces HTML: the caller renders text nodes. */
export function linkify(text: string): TextSegment[] {
  const segments: TextSegment[] = [];
  let last = 0;
  for (const match of text.matchAll(urlPattern)) {
    const start = match.index;
    const candidate = trimUrl(match[0]);
    const href = safeHref(candidate);
    if (!href) continue;
    if (start > last) segments.push({ kind: 'text', text: text.slice(last, start) });
    segments.push({ kind: 'link', text: candidate, href });
    last = start + candidate.length;
  }
  if (last < text.length) segments.push({ kind: 'text', text: text.slice(last) });
  return segments;
}

/** Keeps a closing parenthesis that belongs to the URL, as in wikipedia links. */
function trimUrl(raw: string): string {
  let url = raw.replace(trailingPunctuation, '');
  const opens = (url.match(/\(/g) ?? []).length;
  const closes = (url.match(/\)/g) ?? []).length;
  if (opens > closes && raw.length > url.length && raw[url.length] === ')') url += ')';
  return url;
}

/** The normalised URL if it parses and is http(s); anything else is not a link. */
export function safeHref(candidate: string): string | undefined {
  try {
    const url = new URL(candidate);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}
