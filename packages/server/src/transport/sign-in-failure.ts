import type { FastifyReply, FastifyRequest } from 'fastify';
import { ChatError } from '../chat/chat-error.ts';

/**
 * A sign-in callback is reached by a browser's navigation (the provider
 * redirected it there): an error in JSON would be a dead end. A browser
 * (Accept: text/html) goes back to the web client, the reason in
 * `?signin_error=` for it to show; an API client still gets the error.
 */
export function refusedSignIn(
  request: FastifyRequest,
  reply: FastifyReply,
  back: string | undefined,
  err: unknown,
): FastifyReply {
  if (!(err instanceof ChatError) || !acceptsPage(request)) throw err;
  return backToClient(reply, back, err.message);
}

/** The web client (at `back`, another origin, or this server's) with the reason of a failed sign-in. */
export function backToClient(reply: FastifyReply, back: string | undefined, message: string): FastifyReply {
  return reply.redirect(`${back ?? ''}/?signin_error=${encodeURIComponent(message)}`);
}

function acceptsPage(request: FastifyRequest): boolean {
  return (request.headers.accept ?? '').includes('text/html');
}
