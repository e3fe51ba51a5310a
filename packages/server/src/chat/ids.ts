import { randomBytes, randomFillSync } from 'node:crypto';

const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';

/**
 * Random bytes drawn a page at a time (as crypto.randomUUID does): one call
 * into the CSPRNG per message cost more than the rest of its id.
 */
const pool = Buffer.alloc(4096);
let used = pool.length;

function randomByte(): number {
  if (used === pool.length) {
    randomFillSync(pool);
    used = 0;
  }
  return pool[used++] as number;
}

/** A random id of lower-case letters and digits (no `:`, so DM room names can hold two). */
export function randomId(length = 20): string {
  let id = '';
  while (id.length < length) {
    const byte = randomByte();
    // 252 is the largest multiple of 36 below 256: rejecting above it keeps ids uniform.
    if (byte < 252) id += alphabet[byte % 36];
  }
  return id;
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

/**
 * The id of a delivery that takes a permission away (fanout.ts
 * OutboxDelivery): its outbox row's key, prefixed so that it never meets a
 * message's id there.
 */
export function deliveryId(): string {
  return `d:${randomId()}`;
}
