import { useState, type MouseEvent } from 'react';
import { useAccount } from '../session/account-context.ts';

/**
 * "Continue with Facebook": a plain link to the server's OAuth start, so it works like any link.
 * A click first asks whether the server has Facebook set up, so a server without it says so
 * here instead of leaving the page for a bare error.
 */
export function FacebookButton() {
  const { auth } = useAccount();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const href = auth.facebookUrl();

  const onClick = async (event: MouseEvent<HTMLAnchorElement>) => {
    // A modified click (new tab, say) is the browser's business.
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    const availability = await auth.probeFacebook();
    if (availability === 'not-configured') setError('Facebook sign-in is not set up on this server.');
    else if (availability === 'rate-limited') setError('Too many sign-in attempts. Wait a minute and try again.');
    else window.location.assign(href);
    setBusy(false);
  };

  return (
    <div className="facebook">
      <a
        className="button button--large button--facebook"
        href={href}
        onClick={(event) => void onClick(event)}
        aria-disabled={busy || undefined}
      >
        <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false">
          <path
            d="M13.5 21v-7.5h2.6l.4-3h-3V8.6c0-.9.3-1.5 1.5-1.5h1.6V4.4c-.3 0-1.2-.1-2.3-.1-2.3 0-3.9 1.4-3.9 4v2.2H7.8v3h2.6V21z"
            fill="currentColor"
          />
        </svg>
        Continue with Facebook
      </a>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
