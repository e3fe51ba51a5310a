import path from 'node:path';
import { build } from 'vite';

const webRoot = path.resolve(import.meta.dirname, '../../..');
export const resultsDir = path.join(webRoot, 'test-results');

/**
 * Builds the client into its own directory under test-results (served via WEB_DIST), so
 * test files running in parallel, and a server serving packages/web/dist, never race on one dir.
 */
export async function buildClient(name: string): Promise<string> {
  const outDir = path.join(resultsDir, `dist-${name}`);
  await build({ root: webRoot, logLevel: 'warn', build: { outDir, emptyOutDir: true, sourcemap: false } });
  return outDir;
}

/** Bounds before/after hooks, which node:test otherwise lets run forever (a server that never listens). */
export const setupTimeout = { timeout: 60_000 };
