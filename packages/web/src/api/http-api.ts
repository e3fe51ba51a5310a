import {
  AuthAnswer,
  ErrorBody,
  HistoryAnswer,
  MeAnswer,
  RoomsAnswer,
  type Message,
  type RoomSummary,
  type User,
} from '@pockychat/protocol';

/** An HTTP call the server refused, with the contract's error code. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;

  constructor(status: number, code: string, message: string) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
  }
}

/** The part of a zod schema used here: parse, or throw on an answer off the contract. */
interface Schema<T> {
  parse(value: unknown): T;
}

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
  async function call<T>(path: string, schema: Schema<T>, init: RequestInit = {}): Promise<T> {
    const body = await request(path, init);
    return schema.parse(body);
  }

  async function request(path: string, init: RequestInit): Promise<unknown> {
    const headers = new Headers(init.headers);
    const token = getToken();
    if (token) headers.set('Authorization', `Bearer ${token}`);
    if (init.body !== undefined) headers.set('Content-Type', 'application/json');
    const response = await fetch(`${apiOrigin}${path}`, { ...init, headers });
    if (response.status === 204) return undefined;
    const body: unknown = await response.json().catch(() => undefined);
    if (!response.ok) throw toApiError(response.status, body);
    return body;
  }

  return {
    guest: (name) => call('/auth/guest', AuthAnswer, { method: 'POST', body: JSON.stringify({ name }) }),
    me: async () => (await call('/me', MeAnswer)).user,
    logout: async () => {
      await request('/auth/logout', { method: 'POST' });
    },
    history: async (room, cursor, limit) => {
      const query = new URLSearchParams({ room, limit: String(limit) });
      if ('since' in cursor) query.set('since', String(cursor.since));
      else query.set('before', String(cursor.before));
      return (await call(`/history?${query.toString()}`, HistoryAnswer)).messages;
    },
    rooms: async () => (await call('/rooms', RoomsAnswer)).rooms,
  };
}

export function toApiError(status: number, body: unknown): ApiError {
  const parsed = ErrorBody.safeParse(body);
  if (parsed.success) return new ApiError(status, parsed.data.error.code, parsed.data.error.message);
  return new ApiError(status, status >= 500 ? 'internal' : 'bad_request', `HTTP ${status}`);
}
