import { toApiError } from './api-error.ts';

/** The part of a zod schema used here: parse, or throw on an answer off the contract. */
export interface Schema<T> {
  parse(value: unknown): T;
}

export interface JsonRequest {
  /** A call whose answer is validated; a refusal throws ApiError with the contract's code. */
  call: <T>(path: string, schema: Schema<T>, init?: RequestInit) => Promise<T>;
  /** A call whose answer body does not matter (204s). */
  send: (path: string, init?: RequestInit) => Promise<void>;
}

/**
 * JSON over fetch for every API call. With no token, the request relies on the
 * session cookie, which the browser sends on same-origin requests only: a client hosted on
 * another origin always has a token.
 */
export function createJsonRequest(apiOrigin: string, getToken: () => string | null): JsonRequest {
  async function request(path: string, init: RequestInit = {}): Promise<unknown> {
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
    call: async (path, schema, init) => schema.parse(await request(path, init)),
    send: async (path, init) => {
      await request(path, init);
    },
  };
}
