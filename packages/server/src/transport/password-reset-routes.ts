import type { FastifyInstance } from 'fastify';
import {
  PasswordResetBody,
  PasswordResetConfirmBody,
  type AuthOptionsAnswer,
  type PasswordResetAnswer,
} from '@pockychat/protocol';
import { ChatError } from '../chat/chat-error.ts';
import type { PasswordReset } from '../chat/password-reset.ts';
import { parse } from './parse.ts';

export interface PasswordResetRouteDeps {
  /** Undefined without SMTP_HOST: the routes answer 404 not_found. */
  reset: PasswordReset | undefined;
  options: AuthOptionsAnswer;
  signInsPerMinute: number;
}

const SENT: PasswordResetAnswer = {
  status: 'sent_if_known',
  message: 'If an account exists for this email, we sent it a link to choose a new password.',
};

/** POST /auth/password-reset, POST /auth/password-reset/confirm, and GET /auth/options. */
export function registerPasswordResetRoutes(app: FastifyInstance, deps: PasswordResetRouteDeps): void {
  const config = { rateLimit: { max: deps.signInsPerMinute, timeWindow: '1 minute' } };
  const configured = (): PasswordReset => {
    if (!deps.reset) throw new ChatError('not_found', 'password reset by email is not configured on this server');
    return deps.reset;
  };

  app.get('/auth/options', async () => deps.options);

  // The same 202 whether or not the email has an account: the work happens after the answer.
  app.post('/auth/password-reset', { config }, async (request, reply) => {
    const reset = configured();
    const body = parse(PasswordResetBody, request.body);
    reset.request(body.email);
    return reply.code(202).send(SENT);
  });

  app.post('/auth/password-reset/confirm', { config }, async (request, reply) => {
    const reset = configured();
    const body = parse(PasswordResetConfirmBody, request.body);
    await reset.confirm(body.token, body.password);
    return reply.code(204).send();
  });
}
