import type { IncomingMessage } from 'node:http';

export const SESSION_COOKIE = 'pocky_session';

/** The token a request carries: Bearer header, then access_token query, then session cookie. */
export function tokenOf(
  req: IncomingMessage,
  parseCookie: (header: string) => Record<string, string | undefined>,
): string | undefined {
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ')) return auth.slice(7).trim();
  const query = new URL(req.url ?? '/', 'http://x').searchParams.get('access_token');
  if (query) return query;
  const cookie = req.headers.cookie;
  return cookie ? parseCookie(cookie)[SESSION_COOKIE] : undefined;
}
