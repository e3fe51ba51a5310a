// An invite link is `<app>/?join=<code>` (or `<app>/#/join/<code>`): read by the client itself,
// so it works wherever the static build is hosted. The code waits in sessionStorage while its
// reader signs in (a Facebook sign-in leaves the page and comes back), then is spent.
const key = 'pockychat.join';
const codePattern = /^[A-Za-z0-9_-]{22,64}$/;

/** The code in a URL's `?join=` or `#/join/`, if any. */
export function joinCodeOf(search: string, hash: string): string | null {
  const fromQuery = new URLSearchParams(search).get('join');
  const fromHash = /^#\/join\/([^/?#]+)/.exec(hash)?.[1];
  const code = (fromQuery ?? fromHash ?? '').trim();
  return codePattern.test(code) ? code : null;
}

/** Keeps a link's code for after sign-in and takes it out of the address bar. */
export function adoptJoinCodeFromUrl(): void {
  const code = joinCodeOf(window.location.search, window.location.hash);
  if (!code) return;
  try {
    sessionStorage.setItem(key, code);
  } catch {
    return; // No storage: the code stays in the URL, and is read from there.
  }
  const params = new URLSearchParams(window.location.search);
  params.delete('join');
  const search = params.toString();
  const hash = /^#\/join\//.test(window.location.hash) ? '' : window.location.hash;
  window.history.replaceState(
    window.history.state,
    '',
    `${window.location.pathname}${search ? `?${search}` : ''}${hash}`,
  );
}

export function pendingJoinCode(): string | null {
  try {
    return sessionStorage.getItem(key) ?? joinCodeOf(window.location.search, window.location.hash);
  } catch {
    return joinCodeOf(window.location.search, window.location.hash);
  }
}

export function clearPendingJoin(): void {
  try {
    sessionStorage.removeItem(key);
  } catch {
    // Nothing kept.
  }
}

/** The address to share: this client's own page with `?join=<code>`. */
export function joinUrlOf(code: string): string {
  return `${window.location.origin}${window.location.pathname}?join=${encodeURIComponent(code)}`;
}
