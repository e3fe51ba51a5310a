/**
 * A browser's Origin is accepted when it is the server's own origin (its
 * host is the Host the request was sent to) or one of ALLOWED_ORIGINS.
 * No Origin at all means a non-browser client, which cookies can't be
 * stolen from, so it is accepted too.
 */
export function isAllowedOrigin(
  origin: string | undefined,
  host: string | undefined,
  allowed: readonly string[],
): boolean {
  if (origin === undefined) return true;
  if (allowed.includes(origin)) return true;
  if (origin === 'null' || !host) return false;
  try {
    return new URL(origin).host === host.toLowerCase();
  } catch {
    return false;
  }
}
