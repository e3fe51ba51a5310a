import { SearchAnswer, searchLimits, type Message } from '@pockychat/protocol';
import { createJsonRequest } from './json-request.ts';

/** The server refuses a longer query (400): the client cuts it there rather than fail. */
export const MAX_QUERY_CHARS = searchLimits.maxQueryChars;

export interface SearchOptions {
  /** Only this room. */
  room?: string;
  /** At most this many (the server caps it at 100). */
  limit?: number;
  /** Aborts a query overtaken by the next keystroke. */
  signal?: AbortSignal;
}

export interface SearchApi {
  /** Messages of the rooms the caller may read that match the query, best first. */
  search(query: string, options?: SearchOptions): Promise<Message[]>;
}

export function createSearchApi(apiOrigin: string, getToken: () => string | null): SearchApi {
  const { call } = createJsonRequest(apiOrigin, getToken);
  return {
    search: async (query, { room, limit, signal } = {}) => {
      const params = new URLSearchParams({ q: query.slice(0, MAX_QUERY_CHARS) });
      if (room !== undefined) params.set('room', room);
      if (limit !== undefined) params.set('limit', String(limit));
      const init: RequestInit = signal ? { signal } : {};
      return (await call(`/search?${params.toString()}`, SearchAnswer, init)).messages;
    },
  };
}
