import type { FastifyError, FastifyInstance } from 'fastify';
import { httpStatusOf, type ErrorCode } from '@pockychat/protocol';
import { ChatError } from '../chat/chat-error.ts';

/** Fastify's own failures (bad JSON, body too large, ...) mapped onto the contract's codes. */
const codeOfStatus: Record<number, ErrorCode> = {
  400: 'bad_request',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not_found',
  413: 'too_large',
  415: 'bad_request',
  429: 'rate_limited',
};

export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | ChatError, request, reply) => {
    let code: ErrorCode = 'internal';
    let message = 'something went wrong on the server; try again';
    if (err instanceof ChatError) {
      code = err.code;
      message = err.message;
    } else if (err.statusCode && codeOfStatus[err.statusCode]) {
      code = codeOfStatus[err.statusCode] as ErrorCode;
      message = err.message;
    } else {
      request.log.error({ err }, 'unexpected error');
    }
    return reply.code(httpStatusOf[code]).send({ error: { code, message } });
  });
}

/** The JSON 404 for API paths. */
export function notFoundBody(): { error: { code: ErrorCode; message: string } } {
  return { error: { code: 'not_found', message: 'no such route' } };
}
