import type { Message } from '@pockychat/protocol';

/** The results of one room, best first. */
export interface ResultGroup {
  room: string;
  messages: Message[];
}

/**
 * Results grouped by room, keeping the server's order: the room of the best match first, and
 * each room's messages best first. Reading the groups in turn gives `flatten`'s order, the one
 * the arrow keys move through.
 */
export function groupByRoom(messages: readonly Message[]): ResultGroup[] {
  const groups = new Map<string, Message[]>();
  for (const message of messages) {
    const group = groups.get(message.room);
    if (group) group.push(message);
    else groups.set(message.room, [message]);
  }
  return [...groups].map(([room, list]) => ({ room, messages: list }));
}

export function flatten(groups: readonly ResultGroup[]): Message[] {
  return groups.flatMap((group) => group.messages);
}

/** The selection after an arrow key: stays within the results, none when there are none. */
export function moveSelection(selected: number, step: 1 | -1, count: number): number {
  if (count === 0) return -1;
  return Math.min(count - 1, Math.max(0, selected + step));
}
