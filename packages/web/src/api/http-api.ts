import {
  AuthAnswer,
  HistoryAnswer,
  MeAnswer,
  RoomsAnswer,
  type Message,
  type RoomSummary,
  type User,
} from '@pockychat/protocol';
import { createJsonRequest } from './json-request.ts';

export { ApiError, toApiError } from './api-error.ts';

export type HistoryCursor = { since: number } | { before: number };

export interface HttpApi {
  guest(name: string): Promise<{ user: User; token: string }>;
  me(): Promise<User>;
  logout(): Promise<void>;
  history(room: string, cursor: HistoryCursor, limit: number): Promise<Message[]>;
  /** The messages changed after `rev`, ascending by rev, and the room's rev when read. */
  changes(room: string, rev: number, limit: number): Promise<{ messages: Message[]; lastRev: number }>;
  rooms(): Promise<RoomSummary[]>;
}

/** The HTTP half of the API; every answer is validated against the protocol schemas. */
export function createHttpApi(apiOrigin: string, getToken: () => string | null): HttpApi {
  const { call, send } = createJsonRequest(apiOrigin, getToken);

  return {
    guest: (name) => call('/auth/guest', AuthAnswer, { method: 'POST', body: JSON.stringify({ name }) }),
    me: async () => (await call('/me', MeAnswer)).user,
    logout: () => send('/auth/logout', { method: 'POST' }),
    history: async (room, cursor, limit) => {
      const query = new URLSearchParams({ room, limit: String(limit) });
      if ('since' in cursor) query.set('since', String(cursor.since));
      else query.set('before', String(cursor.before));
      return (await call(`/history?${query.toString()}`, HistoryAnswer)).messages;
    },
    changes: async (room, rev, limit) => {
      const query = new URLSearchParams({ room, changedSince: String(rev), limit: String(limit) });
      const answer = await call(`/history?${query.toString()}`, HistoryAnswer);
      const last = answer.messages.at(-1)?.rev ?? rev;
      return { messages: answer.messages, lastRev: answer.lastRev ?? last };
    },
    rooms: async () => (await call('/rooms', RoomsAnswer)).rooms,
  };
}
