/**
 * What the server's links put in the page's address: a password reset token
 * (`#reset=`, from the mail: in the fragment, which no server, log or Referer
 * sees; `?reset=` of links mailed by an older server is read too) and a
 * failed sign-in's reason (`?signin_error=`, from the OpenID Connect
 * callback). Read once at start, then removed from the address bar so a
 * reload or a shared URL does not carry them.
 */
export interface UrlParams {
  resetToken: string | null;
  signInError: string | null;
}

export function takeUrlParams(): UrlParams {
  const url = new URL(window.location.href);
  const fragment = new URLSearchParams(url.hash.replace(/^#/, ''));
  const resetToken = (fragment.get('reset') ?? url.searchParams.get('reset'))?.trim() || null;
  const signInError = url.searchParams.get('signin_error')?.trim() || null;
  if (resetToken || signInError) {
    url.searchParams.delete('reset');
    url.searchParams.delete('signin_error');
    fragment.delete('reset');
    const hash = fragment.size > 0 ? `#${fragment.toString()}` : '';
    window.history.replaceState(window.history.state, '', url.pathname + url.search + hash);
  }
  return { resetToken, signInError };
}
