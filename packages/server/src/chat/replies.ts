import { limits, type Message, type ReplyRef } from '@pockychat/protocol';

/** What a reply keeps of its parent: who wrote it and its first characters, as it is now. */
export function replyRefOf(parent: Message): ReplyRef {
  return {
    id: parent.id,
    seq: parent.seq,
    author: { ...parent.author },
    text: firstChars(parent.text, limits.replyQuoteChars),
  };
}

/** The first `n` characters (code points), never half a surrogate pair. */
function firstChars(text: string, n: number): string {
  if (text.length <= n) return text;
  return Array.from(text).slice(0, n).join('');
}
