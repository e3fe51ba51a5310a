import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { tempDataDir } from './helpers/test-server.ts';

const run = promisify(execFile);
const module = path.join(import.meta.dirname, '../src/push/vapid-keys.ts');

test('nodes starting at once on one data directory all take the same VAPID pair, never a half-written file', async () => {
  const dataDir = tempDataDir();
  const script = `import { loadVapidKeys } from ${JSON.stringify(module)};
    process.stdout.write(loadVapidKeys({}, ${JSON.stringify(dataDir)}).publicKey);`;
  const starts = Array.from({ length: 8 }, () => run(process.execPath, ['--input-type=module', '-e', script]));
  const keys = (await Promise.all(starts)).map((answer) => answer.stdout);
  const stored = JSON.parse(readFileSync(path.join(dataDir, 'vapid.json'), 'utf8')) as { publicKey: string };
  assert.deepEqual(new Set(keys), new Set([stored.publicKey]));
  assert.deepEqual(readdirSync(dataDir), ['vapid.json'], 'no draft left behind');
});
