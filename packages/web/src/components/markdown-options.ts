import { createElement, type ReactNode } from 'react';
import type { Components, Options } from 'react-markdown';
import remarkBreaks from 'remark-breaks';
import remarkGfm from 'remark-gfm';

/*
 * How message text is rendered: Markdown, by react-markdown, into React elements (never
 * innerHTML). Raw HTML in the text is dropped (skipHtml); only the elements a chat needs are kept,
 * others (images, headings, tables) are unwrapped to their text; a link goes only to an http(s)
 * or mailto address, any other (javascript:, data:, vbscript:) is shown as plain text.
 * Kept apart from the component (no JSX) so that tests can render it in Node.
 */
const allowedElements = ['p', 'br', 'strong', 'em', 'del', 'code', 'pre', 'blockquote', 'ul', 'ol', 'li', 'a'];

/** Schemes a link in a message may use. */
const LINK_SCHEMES: ReadonlySet<string> = new Set(['http:', 'https:', 'mailto:']);

/** The normalised URL of a link if it is absolute and its scheme is allowed; otherwise undefined. */
export function safeLinkHref(candidate: string): string | undefined {
  try {
    const url = new URL(candidate.trim());
    return LINK_SCHEMES.has(url.protocol) ? url.href : undefined;
  } catch {
    return undefined;
  }
}

function SafeLink({ href, children }: { href?: string | undefined; children?: ReactNode }) {
  const safe = href === undefined ? undefined : safeLinkHref(href);
  if (!safe) return createElement('span', null, children);
  return createElement('a', { href: safe, target: '_blank', rel: 'noopener noreferrer nofollow' }, children);
}

const components: Components = {
  a: ({ href, children }) => createElement(SafeLink, { href, children }),
};

export const markdownOptions: Readonly<Options> = {
  skipHtml: true,
  allowedElements,
  unwrapDisallowed: true,
  // remark-gfm links bare URLs and knows ~~strikethrough~~; remark-breaks keeps a chat's single
  // line breaks, which CommonMark folds into one line.
  remarkPlugins: [remarkGfm, remarkBreaks],
  components,
  // SafeLink decides on every href; nothing else takes a URL (images are not allowed).
  urlTransform: (url) => url,
};
