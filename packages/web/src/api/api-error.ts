import { ErrorBody, type ErrorCode } from '@pockychat/protocol';

/** Why an HTTP call did not go through: the contract's error codes, plus what the network did. */
export type ApiFailure = ErrorCode | 'network' | 'aborted';

/** An HTTP call that failed: refused by the server with the contract's code, or lost on the way (status 0). */
export class ApiError extends Error {
  readonly status: number;
  readonly code: ApiFailure;

  constructor(status: number, code: ApiFailure, message: string) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
  }
}

/** The error an answer stands for; a body off the contract is told by its status alone. */
export function toApiError(status: number, body: unknown): ApiError {
  const parsed = ErrorBody.safeParse(body);
  if (parsed.success) return new ApiError(status, parsed.data.error.code, parsed.data.error.message);
  // A proxy in front of the server may answer 413 itself, without the contract's body.
  if (status === 413) return new ApiError(status, 'too_large', 'too large');
  return new ApiError(status, status >= 500 ? 'internal' : 'bad_request', `HTTP ${status}`);
}
