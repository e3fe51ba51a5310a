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
    rooms: async () => (await call('/rooms', RoomsAnswer)).rooms,
  };
}
