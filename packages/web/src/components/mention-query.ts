import type { User } from '@pockychat/protocol';

/** The `@word` being typed just before the caret, if any: where it starts and what follows the `@`. */
export function mentionQuery(text: string, caret: number): { start: number; query: string } | null {
  const match = /(?:^|\s)@([^\s@]{0,32})$/u.exec(text.slice(0, caret));
  if (!match) return null;
  return { start: caret - match[1]!.length - 1, query: match[1]! };
}

/** Members whose name starts with (or else contains) the query, at most `max`, not me. */
export function mentionCandidates(users: User[], query: string, meId: string, max = 6): User[] {
  const q = query.toLocaleLowerCase();
  const others = users.filter((u) => u.id !== meId);
  const starts = others.filter((u) => u.name.toLocaleLowerCase().startsWith(q));
  const contains = others.filter((u) => !starts.includes(u) && u.name.toLocaleLowerCase().includes(q));
  return [...starts, ...contains].slice(0, max);
}

/**
 * The ids mentioned: picked mentions whose `@Name` is still in the text, and members whose
 * `@Name` was typed in full without picking it.
 */
export function mentionsIn(text: string, picked: ReadonlyMap<string, string>, members: User[] = []): string[] {
  const ids = new Set([...picked].filter(([, name]) => text.includes(`@${name}`)).map(([id]) => id));
  for (const user of members) if (typedInFull(text, user.name)) ids.add(user.id);
  return [...ids];
}

/** `@Name` not followed by more of a word: `@Ann` is not typed in `@Anna`. */
function typedInFull(text: string, name: string): boolean {
  let at = text.indexOf(`@${name}`);
  while (at !== -1) {
    const after = text[at + name.length + 1];
    if (after === undefined || !/[\p{L}\p{N}_]/u.test(after)) return true;
    at = text.indexOf(`@${name}`, at + 1);
  }
  return false;
}

/** A reply's quote as plain words: Markdown's marks would show as-is in one line. */
export function plainQuote(text: string): string {
  return text
    .replace(/^\s*(?:>|[-+*]|\d+[.)])\s+/gm, '')
    .replace(/[*_`~]+/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}
