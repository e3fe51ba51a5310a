import { randomBytes } from 'node:crypto';

const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** A random id of lower-case letters and digits (no `:`, so DM room names can hold two). */
export function randomId(length = 20): string {
  const bytes = randomBytes(length);
  let id = '';
  // 252 is the largest multiple of 36 below 256: rejecting above it keeps ids uniform.
  for (const byte of bytes) if (byte < 252) id += alphabet[byte % 36];
  return id.length === length ? id : id + randomId(length - id.length);
}

/** A bearer token: 256 random bits, base64url. */
export function randomToken(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * A random id that sorts by creation time: the milliseconds in base 36,
 * then 16 random characters. Message ids are indexed; new keys landing at
 * the end of the index instead of anywhere in it make each insert cheaper
 * (about a fifth of SQLite's insert time here).
 */
export function timeOrderedId(now: number): string {
  return now.toString(36).padStart(9, '0') + randomId(16);
}
