import { createElement, type ReactNode } from 'react';
import type { Components, Options } from 'react-markdown';
import remarkBreaks from 'remark-breaks';
import remarkGfm from 'remark-gfm';

/*
 * How message text is rendered: Markdown, by react-markdown, into React elements (never
 * innerHTML). Raw HTML in the text is shown as the text it is (htmlAsText: "use a <details>
 * element" keeps its words, and a pasted snippet is not an empty bubble); only the elements a chat needs are kept,
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

/** The few fields of a Markdown syntax tree's node (mdast) that htmlAsText reads. */
interface TreeNode {
  type: string;
  value?: string;
  children?: TreeNode[];
}

/** Parents whose children are blocks: raw HTML there becomes a paragraph of its text. */
const BLOCK_PARENTS: ReadonlySet<string> = new Set(['root', 'blockquote', 'listItem']);

/** A remark plugin: every raw HTML node becomes a text node with its source, escaped by React like any text. */
function htmlAsText() {
  const visit = (node: TreeNode): void => {
    const children = node.children;
    if (!children) return;
    node.children = children.map((child) => {
      if (child.type !== 'html') return (visit(child), child);
      const text = { type: 'text', value: child.value ?? '' };
      return BLOCK_PARENTS.has(node.type) ? { type: 'paragraph', children: [text] } : text;
    });
  };
  return visit;
}

const components: Components = {
  a: ({ href, children }) => createElement(SafeLink, { href, children }),
};

export const markdownOptions: Readonly<Options> = {
  // htmlAsText leaves no raw HTML; were one left, it would be dropped, never rendered.
  skipHtml: true,
  allowedElements,
  unwrapDisallowed: true,
  // remark-gfm links bare URLs and knows ~~strikethrough~~; remark-breaks keeps a chat's single
  // line breaks, which CommonMark folds into one line.
  // htmlAsText before remarkBreaks, so that the line breaks of an HTML block's text are kept too.
  remarkPlugins: [remarkGfm, htmlAsText, remarkBreaks],
  components,
  // SafeLink decides on every href; nothing else takes a URL (images are not allowed).
  urlTransform: (url) => url,
};
