import { writeToken } from '../api/token-storage.ts';

/** The token in a `#access_token=…` fragment, as the server's Facebook sign-in sends it back. */
export function tokenFromFragment(hash: string): string | null {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const token = params.get('access_token');
  return token && token.trim() ? token.trim() : null;
}

/**
 * Stores a token handed over in the URL fragment (a Facebook sign-in of a client hosted on another
 * origin) and removes it from the address bar at once, so it is neither bookmarked, shared with
 * the URL, nor left in the history.
 */
export function adoptTokenFromUrl(): void {
  const token = tokenFromFragment(window.location.hash);
  if (!token) return;
  writeToken(token);
  window.history.replaceState(window.history.state, '', window.location.pathname + window.location.search);
}
