import { memo } from 'react';
import Markdown from 'react-markdown';
import { markdownOptions } from './markdown-options.ts';

/** The text of one message as safe Markdown; memoised, as a list re-renders on every frame. */
export const MessageText = memo(function MessageText({ text }: { text: string }) {
  return (
    <div className="message__text">
      <Markdown {...markdownOptions}>{text}</Markdown>
    </div>
  );
});
