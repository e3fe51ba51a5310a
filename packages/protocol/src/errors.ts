import { z } from 'zod';

/** Every error code of the contract, on frames and HTTP alike. */
export const errorCodes = [
  'bad_request',
  'unauthenticated',
  'bad_credentials',
  'forbidden',
  'not_found',
  'too_large',
  'rate_limited',
  'internal',
] as const;

export const ErrorCode = z.enum(errorCodes);
export type ErrorCode = z.infer<typeof ErrorCode>;

/** The HTTP status that goes with each code. */
export const httpStatusOf: Record<ErrorCode, number> = {
  bad_request: 400,
  unauthenticated: 401,
  bad_credentials: 401,
  forbidden: 403,
  not_found: 404,
  too_large: 413,
  rate_limited: 429,
  internal: 500,
};

export const ErrorBody = z.object({
  error: z.object({ code: ErrorCode, message: z.string() }),
});
export type ErrorBody = z.infer<typeof ErrorBody>;
