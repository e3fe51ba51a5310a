// The token lives in localStorage (not only the HttpOnly cookie) so the client also works when
// hosted on another origin than the API, where the cookie would be third-party.
const key = 'pockychat.token';

export function readToken(): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

export function writeToken(token: string | null): void {
  try {
    if (token === null) localStorage.removeItem(key);
    else localStorage.setItem(key, token);
  } catch {
    // Private mode without storage: the session lasts as long as the page.
  }
}
