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

/** The ids of picked mentions whose `@Name` is still in the text. */
export function mentionsIn(text: string, picked: ReadonlyMap<string, string>): string[] {
  return [...picked].filter(([, name]) => text.includes(`@${name}`)).map(([id]) => id);
}
