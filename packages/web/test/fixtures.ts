import type { Message, User } from '@pockychat/protocol';

export const ann: User = { id: 'ann1', name: 'Ann', kind: 'guest' };
export const bob: User = { id: 'bob1', name: 'Bob', kind: 'guest' };

/** Message `seq` of the lobby, by Bob unless `extra` says otherwise; its rev is its seq. */
export function lobbyMessage(seq: number, extra: Partial<Message> = {}): Message {
  return {
    id: `m${seq}`,
    room: 'lobby',
    seq,
    rev: seq,
    author: bob,
    text: `text ${seq}`,
    date: new Date(1_700_000_000_000 + seq * 1000).toISOString(),
    likes: [],
    mentions: [],
    reactions: {},
    ...extra,
  };
}
