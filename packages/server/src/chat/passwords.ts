import { argon2, randomBytes, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';

const argon2Async = promisify(argon2);

/** OWASP's argon2id baseline: 19 MiB, 2 passes, 1 lane (about 0.1 s here). */
const params = { memory: 19_456, passes: 2, parallelism: 1, tagLength: 32 };

/** A PHC string: $argon2id$v=19$m=…,t=…,p=…$salt$hash (base64, no padding). */
export async function hashPassword(password: string): Promise<string> {
  const nonce = randomBytes(16);
  const tag = await argon2Async('argon2id', { ...params, message: password, nonce });
  return `$argon2id$v=19$m=${params.memory},t=${params.passes},p=${params.parallelism}$${b64(nonce)}$${b64(tag)}`;
}

export async function verifyPassword(password: string, phc: string): Promise<boolean> {
  const match = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/.exec(phc);
  if (!match) return false;
  const [, m, t, p, salt, hash] = match as unknown as [string, string, string, string, string, string];
  const expected = Buffer.from(hash, 'base64');
  const tag = await argon2Async('argon2id', {
    message: password,
    nonce: Buffer.from(salt, 'base64'),
    memory: Number(m),
    passes: Number(t),
    parallelism: Number(p),
    tagLength: expected.length,
  });
  return timingSafeEqual(tag, expected);
}

/**
 * A hash of nothing anyone knows, verified against when the email is
 * unknown, so that an unknown email and a wrong password take the same time.
 */
export const decoyHash = hashPassword(randomBytes(18).toString('base64'));

function b64(bytes: Buffer): string {
  return bytes.toString('base64').replace(/=+$/, '');
}
