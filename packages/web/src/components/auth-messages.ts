import { MIN_PASSWORD_LENGTH } from '@pockychat/protocol';
import { ApiError } from '../api/http-api.ts';

/** A refused sign-in or sign-up in words for the form, from the server's code and message. */
export function describeAuthError(error: unknown): string {
  if (!(error instanceof ApiError)) return 'Cannot reach the server. Check your connection and try again.';
  switch (error.code) {
    case 'bad_credentials':
      return 'Wrong email or password.';
    case 'rate_limited':
      return 'Too many attempts. Wait a few minutes and try again.';
    default:
      // bad_request names the field first ("password: a password has…"); the form shows the rest.
      return asSentence(error.message.replace(/^[a-z]+: /, ''));
  }
}

function asSentence(text: string): string {
  const trimmed = text.trim();
  if (!trimmed) return 'Something went wrong. Try again.';
  const capital = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}

/** What the server would refuse, said before asking it. */
export function checkFields(mode: 'login' | 'register', name: string, email: string, password: string): string | null {
  if (mode === 'register' && !name.trim()) return 'Choose a display name.';
  if (!/^[^\s@]+@[^\s@]+$/.test(email.trim())) return 'Enter an email address, like ann@example.com.';
  if (!password) return 'Enter your password.';
  if (mode === 'register' && password.length < MIN_PASSWORD_LENGTH) {
    return `The password is too short: use at least ${MIN_PASSWORD_LENGTH} characters.`;
  }
  return null;
}
