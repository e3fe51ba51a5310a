import {
  AuthAnswer,
  AuthOptionsAnswer,
  PasswordResetAnswer,
  type LoginBody,
  type RegisterBody,
} from '@pockychat/protocol';
import { createJsonRequest } from './json-request.ts';

export type AuthResult = AuthAnswer;

/** Whether the server can sign people in with Facebook, as far as a probe can tell. */
export type FacebookAvailability = 'available' | 'not-configured' | 'rate-limited' | 'unknown';

export interface AuthApi {
  /** Creates an account; sent with a guest's token, the guest becomes the account. */
  register(body: RegisterBody): Promise<AuthResult>;
  /** Signs in; sent with a guest's token, the guest's rooms and messages move to the account. */
  login(body: LoginBody): Promise<AuthResult>;
  /** Where "Continue with Facebook" goes: the server's OAuth start, told where to come back to. */
  facebookUrl(): string;
  probeFacebook(): Promise<FacebookAvailability>;
  /** Which sign-ins the server offers (password reset, single sign-on, Facebook). */
  options(): Promise<AuthOptionsAnswer>;
  /** Asks for a reset link by mail; the answer is the same whether or not the email has an account. */
  requestPasswordReset(email: string): Promise<PasswordResetAnswer>;
  /** Sets the password with the token of a reset link. */
  confirmPasswordReset(token: string, password: string): Promise<void>;
  /** Where the single sign-on button goes: the server's OpenID Connect start. */
  oidcUrl(): string;
}

export function createAuthApi(apiOrigin: string, getToken: () => string | null): AuthApi {
  const { call, send } = createJsonRequest(apiOrigin, getToken);
  return {
    register: (body) => call('/auth/register', AuthAnswer, { method: 'POST', body: JSON.stringify(body) }),
    login: (body) => call('/auth/login', AuthAnswer, { method: 'POST', body: JSON.stringify(body) }),
    facebookUrl: () => facebookUrl(apiOrigin, window.location.origin),
    probeFacebook: () => probeFacebook(apiOrigin),
    options: () => call('/auth/options', AuthOptionsAnswer),
    requestPasswordReset: (email) =>
      call('/auth/password-reset', PasswordResetAnswer, { method: 'POST', body: JSON.stringify({ email }) }),
    confirmPasswordReset: (token, password) =>
      send('/auth/password-reset/confirm', { method: 'POST', body: JSON.stringify({ token, password }) }),
    oidcUrl: () => signInUrl(apiOrigin, window.location.origin, '/auth/oidc'),
  };
}

/**
 * Same origin, the sign-in ends at `/` with the session cookie. From another origin the cookie
 * would be third-party, so the server is asked to come back with the token in the URL fragment.
 */
export function facebookUrl(apiOrigin: string, pageOrigin: string): string {
  return signInUrl(apiOrigin, pageOrigin, '/auth/facebook');
}

function signInUrl(apiOrigin: string, pageOrigin: string, path: string): string {
  if (!apiOrigin || apiOrigin === pageOrigin) return path;
  return `${apiOrigin}${path}?return=${encodeURIComponent(pageOrigin)}`;
}

/**
 * Asks the start of the flow without following it: a redirect means Facebook is configured, a
 * 404 that it is not. Done on click rather than on load: the route is rate limited per address,
 * and every sign-in screen shown would spend a try.
 */
async function probeFacebook(apiOrigin: string): Promise<FacebookAvailability> {
  try {
    const response = await fetch(`${apiOrigin}/auth/facebook`, { redirect: 'manual', credentials: 'omit' });
    if (response.type === 'opaqueredirect' || (response.status >= 300 && response.status < 400)) return 'available';
    if (response.status === 404) return 'not-configured';
    if (response.status === 429) return 'rate-limited';
    return 'unknown';
  } catch {
    return 'unknown';
  }
}
