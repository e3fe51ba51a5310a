import type { ErrorCode } from '@pockychat/protocol';
import type { Logger } from 'pino';
import { ChatError } from '../chat/chat-error.ts';

/** What goes on the wire for any failure: a contract code, never a stack trace. */
export function toWireError(err: unknown, log: Logger): { code: ErrorCode; message: string } {
  if (err instanceof ChatError) return { code: err.code, message: err.message };
  log.error({ err }, 'unexpected error');
  return { code: 'internal', message: 'something went wrong on the server; try again' };
}
