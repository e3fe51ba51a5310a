import type { ErrorCode } from '@pockychat/protocol';

/** The one error the domain throws; the transport maps it to the wire. */
export class ChatError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = 'ChatError';
    this.code = code;
  }
}
