import { useMemo } from 'react';
import { linkify } from '../state/linkify.ts';

/** Message text as text nodes; only http(s) URLs become links, opened safely in a new tab. */
export function MessageText({ text }: { text: string }) {
  const segments = useMemo(() => linkify(text), [text]);
  return (
    <p className="message__text">
      {segments.map((segment, i) =>
        segment.kind === 'link' ? (
          <a key={i} href={segment.href} target="_blank" rel="noopener noreferrer">
            {segment.text}
          </a>
        ) : (
          <span key={i}>{segment.text}</span>
        ),
      )}
    </p>
  );
}
