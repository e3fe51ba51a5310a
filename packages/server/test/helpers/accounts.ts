import { randomUUID } from 'node:crypto';
import type { AuthAnswer } from '@pockychat/protocol';
import { api } from './clients.ts';

/** A password long enough for the server's rule (10 characters at least). */
export const PASSWORD = 'correct horse battery';

/** An email no other test uses, so per-email state (rate limits, accounts) starts fresh. */
export function uniqueEmail(prefix = 'user'): string {
  return `${prefix}-${randomUUID().slice(0, 8)}@example.test`;
}

/** POST /auth/register, optionally carrying a guest's token; fails unless 201. */
export async function register(
  url: string,
  body: { email: string; name: string; password?: string },
  token?: string,
): Promise<AuthAnswer> {
  const answer = await api(url, token, '/auth/register', {
    method: 'POST',
    body: JSON.stringify({ password: PASSWORD, ...body }),
  });
  if (answer.status !== 201) throw new Error(`register failed: ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body as AuthAnswer;
}

/** POST /auth/login, optionally carrying a guest's token: the raw status and body. */
export function login(
  url: string,
  email: string,
  password: string,
  token?: string,
): Promise<{ status: number; body: any }> {
  return api(url, token, '/auth/login', { method: 'POST', body: JSON.stringify({ email, password }) });
}
