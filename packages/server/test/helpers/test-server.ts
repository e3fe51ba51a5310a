import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createApp, type App } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import type { PresenceOptions } from '../../src/chat/presence.ts';
import type { Fanout } from '../../src/fanout/fanout.ts';
import { LocalFanout } from '../../src/fanout/local-fanout.ts';
import type { BlobStore } from '../../src/files/blob-store.ts';
import { createLogger } from '../../src/logger.ts';
import { SqliteStore } from '../../src/storage/sqlite/sqlite-store.ts';
import type { Store } from '../../src/chat/ports/store.ts';
import type { Clock } from '../../src/chat/clock.ts';
import type { LiveIndexingOptions } from '../../src/transport/search-live-indexing.ts';

const serverMain = path.resolve(import.meta.dirname, '../../src/main.ts');

export function tempDataDir(): string {
  return mkdtempSync(path.join(tmpdir(), 'pockychat-test-'));
}

export interface TestServer {
  url: string;
  dataDir: string;
  app: App;
  close(): Promise<void>;
}

/** A real server in this process on a free port, with a fresh SQLite file unless dataDir is given. */
export async function startTestServer(
  options: {
    env?: Record<string, string>;
    dataDir?: string;
    wrapStore?: (store: Store) => Store;
    /** The fan-out the server uses (a fresh LocalFanout unless given): a test may publish on it too. */
    fanout?: Fanout;
    blobs?: BlobStore;
    /** The server's clock (the system's unless given): a test may move it on. */
    clock?: Clock;
    /** The store (a fresh SQLite file's unless given), e.g. a PostgreSQL one. */
    openStore?: () => Promise<Store>;
    /** The CA the server trusts for push services (a test push endpoint's own certificate). */
    pushTls?: { ca: string };
    /** Presence's timings (e.g. a sub-second away threshold). */
    presenceOptions?: Partial<PresenceOptions>;
    /** The live search indexer's timings, or paused. */
    searchIndexing?: Partial<LiveIndexingOptions>;
  } = {},
): Promise<TestServer> {
  const dataDir = options.dataDir ?? tempDataDir();
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'silent', ...options.env });
  const opened = options.openStore ? await options.openStore() : await SqliteStore.open(config.sqlitePath);
  const store = options.wrapStore ? options.wrapStore(opened) : opened;
  const app = await createApp({
    config,
    log: createLogger(config.logLevel),
    store,
    fanout: options.fanout ?? new LocalFanout(),
    ...(options.blobs && { blobs: options.blobs }),
    ...(options.pushTls && { pushTls: options.pushTls }),
    ...(options.presenceOptions && { presenceOptions: options.presenceOptions }),
    ...(options.searchIndexing && { searchIndexing: options.searchIndexing }),
    ...(options.clock && { clock: options.clock }),
  });
  const url = (await app.listen()).replace('localhost', '127.0.0.1');
  let closed = false;
  return {
    url,
    dataDir,
    app,
    async close() {
      if (closed) return;
      closed = true;
      await app.close();
    },
  };
}

export interface SpawnedServer {
  url: string;
  port: number;
  process: ChildProcess;
  /** Everything the process wrote so far (stdout, stderr), for assertions on logs. */
  output(): { stdout: string; stderr: string };
  /** Sends the signal (SIGTERM by default) and waits for the process to exit. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** The real server as a child process (node src/main.ts), for restarts and kill -9. */
export async function spawnServer(options: {
  dataDir: string;
  port?: number;
  env?: Record<string, string>;
}): Promise<SpawnedServer> {
  const port = options.port ?? (await freePort());
  const child = spawn(process.execPath, [serverMain], {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: options.dataDir,
      LOG_LEVEL: 'info',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let timer: NodeJS.Timeout | undefined;
  try {
    await new Promise<void>((resolve, reject) => {
      child.stdout.setEncoding('utf8');
      child.stderr.setEncoding('utf8');
      child.stdout.on('data', (chunk: string) => {
        stdout += chunk;
        if (stdout.includes('pockychat is listening')) resolve();
      });
      child.stderr.on('data', (chunk: string) => (stderr += chunk));
      void exited.then((code) => reject(new Error(`server exited with ${code} before listening:\n${stdout}${stderr}`)));
      // The line is logged at info: a LOG_LEVEL above that would otherwise wait forever.
      timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(
          new Error(`server did not say it was listening within 30 s (LOG_LEVEL above info?):\n${stdout}${stderr}`),
        );
      }, 30_000).unref();
    });
  } finally {
    // Cleared whether or not it listened: callers that retry (Cluster.startNode) leave no timers behind.
    clearTimeout(timer);
  }
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    process: child,
    output: () => ({ stdout, stderr }),
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}
