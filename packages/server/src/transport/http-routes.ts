import type {} from '@fastify/cookie';
import type {} from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { GuestBody, HistoryQuery, type User } from '@pockychat/protocol';
import type { z } from 'zod';
import type { ChatService } from '../chat/chat-service.ts';
import { ChatError } from '../chat/chat-error.ts';
import type { Identity } from '../chat/identity.ts';
import { SESSION_COOKIE, tokenOf } from './credentials.ts';

export interface HttpDeps {
  chat: ChatService;
  identity: Identity;
  secureCookies: boolean;
}

/** The JSON API: identity, history, rooms. Every handler validates at the edge with the shared schemas. */
export function registerHttpRoutes(app: FastifyInstance, deps: HttpDeps): void {
  const { chat, identity } = deps;
  const requireUser = async (request: FastifyRequest): Promise<User> => {
    const user = await identity.authenticate(tokenOf(request.raw, (h) => app.parseCookie(h)));
    if (!user) throw new ChatError('unauthenticated', 'sign in first: a session cookie or a Bearer token is needed');
    return user;
  };

  app.post('/auth/guest', { config: { rateLimit: { max: 30, timeWindow: '1 minute' } } }, async (request, reply) => {
    const body = parse(GuestBody, request.body);
    const { user, token } = await identity.createGuest(body.name);
    setSessionCookie(reply, token, deps.secureCookies);
    return { user, token };
  });

  app.post('/auth/logout', async (request, reply) => {
    const token = tokenOf(request.raw, (h) => app.parseCookie(h));
    if (token) await identity.revoke(token);
    const cookie = request.cookies[SESSION_COOKIE];
    if (cookie && cookie !== token) await identity.revoke(cookie);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.code(204).send();
  });

  app.get('/me', async (request) => ({ user: await requireUser(request) }));

  app.get('/history', async (request) => {
    const user = await requireUser(request);
    const query = parse(HistoryQuery, request.query);
    return { room: query.room, messages: await chat.history(user, query) };
  });

  app.get('/rooms', async (request) => ({ rooms: await chat.rooms(await requireUser(request)) }));
}

function parse<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  throw new ChatError('bad_request', `${where}${issue?.message ?? 'bad request'}`);
}

function setSessionCookie(reply: FastifyReply, token: string, secure: boolean): void {
  reply.setCookie(SESSION_COOKIE, token, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure,
    maxAge: 60 * 60 * 24 * 365,
  });
}
