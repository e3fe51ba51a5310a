import { useAccount } from '../session/account-context.ts';

/** The single sign-on button: a plain link to the server's OpenID Connect start, labelled as the server says. */
export function OidcButton({ name }: { name: string }) {
  const { auth } = useAccount();
  return (
    <a className="button button--large button--oidc" href={auth.oidcUrl()}>
      <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false">
        <path
          d="M12 2a5 5 0 0 1 5 5v3h1a2 2 0 0 1 2 2v8a2 2 0 0 1-2 2H6a2 2 0 0 1-2-2v-8a2 2 0 0 1 2-2h1V7a5 5 0 0 1 5-5zm0 2a3 3 0 0 0-3 3v3h6V7a3 3 0 0 0-3-3z"
          fill="currentColor"
        />
      </svg>
      {`Continue with ${name}`}
    </a>
  );
}
