import { linkSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import webpush from 'web-push';
import type { PushConfig } from '../config.ts';

export interface VapidKeys {
  publicKey: string;
  privateKey: string;
}

/**
 * The server's VAPID key pair (RFC 8292): from the environment when given
 * (several nodes must share one: browsers subscribe with its public key),
 * else DATA_DIR/vapid.json, made on the first start (readable by the
 * server's user only) and reused after: a new pair would orphan every
 * subscription.
 */
export function loadVapidKeys(config: PushConfig, dataDir: string): VapidKeys {
  if (config.vapidKeys) return config.vapidKeys;
  const file = path.join(dataDir, 'vapid.json');
  const stored = readKeys(file);
  if (stored) return stored;
  const keys = webpush.generateVAPIDKeys();
  // Written whole under a name of this process, then linked into place: link() fails if the
  // file exists, so a second process starting on the same data directory keeps the first one's
  // pair, and never reads a file created but not yet written (a 'wx' write has that moment).
  const draft = `${file}.${process.pid}.tmp`;
  writeFileSync(draft, `${JSON.stringify(keys, null, 2)}\n`, { mode: 0o600 });
  try {
    linkSync(draft, file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    const raced = readKeys(file);
    if (raced) return raced;
    throw new Error(`${file} exists but holds no VAPID key pair`, { cause: err });
  } finally {
    rmSync(draft, { force: true });
  }
  return keys;
}

function readKeys(file: string): VapidKeys | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  const keys = JSON.parse(text) as Partial<VapidKeys>;
  if (typeof keys.publicKey !== 'string' || typeof keys.privateKey !== 'string') {
    throw new Error(`${file} holds no VAPID key pair (publicKey, privateKey)`);
  }
  return { publicKey: keys.publicKey, privateKey: keys.privateKey };
}
