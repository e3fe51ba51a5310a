import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import path from 'node:path';
import { NODE_FLAGS } from '../../packages/server/src/node-flags.ts';
import { cpuMicros, hasTaskset, rssBytes } from '../proc.ts';
import type { ProbeAnswer } from './probe.ts';

/** `primus` (bare Primus) is a reference for the idle scenario only. */
export type ServerKind = 'ws' | 'socketio' | 'pockychat' | 'primus';

export const SERVER_CORE = 0;
export const LOAD_CORE = 1;

const root = path.resolve(import.meta.dirname, '../..');
const scripts: Record<ServerKind, string> = {
  ws: path.join(root, 'bench/servers/ws-server.ts'),
  socketio: path.join(root, 'bench/servers/socketio-server.ts'),
  pockychat: path.join(root, 'packages/server/src/main.ts'),
  primus: path.join(root, 'bench/servers/primus-server.ts'),
};
const probe = path.join(root, 'bench/servers/probe.ts');

export interface ServerHandle {
  kind: ServerKind;
  url: string;
  pid: number;
  pinned: boolean;
  /** The in-process probe's numbers; with `gc`, after two full collections. */
  probe(what?: 'stats' | 'gc' | 'profile-start' | 'profile-stop', file?: string): Promise<ProbeAnswer>;
  cpuMicros(): number;
  rssBytes(): number;
  output(): string;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probeServer = createServer();
    probeServer.once('error', reject);
    probeServer.listen(0, '127.0.0.1', () => {
      const address = probeServer.address();
      probeServer.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

function healthy(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request(`${url}/healthz`, { timeout: 1000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.once('error', () => resolve(false));
    req.once('timeout', () => req.destroy());
    req.end();
  });
}

/**
 * Starts a server under test as a child process on the server core (taskset),
 * with a raised open-files limit where the system allows it, --expose-gc, and
 * the probe preloaded. `profileDir` adds --cpu-prof.
 */
export async function startServer(options: {
  kind: ServerKind;
  env?: Record<string, string>;
  profileDir?: string;
  core?: number;
}): Promise<ServerHandle> {
  const { kind } = options;
  const port = await freePort();
  // pockychat's own flags for every server: the comparison is of code, not of V8 settings.
  const nodeArgs = ['--expose-gc', ...NODE_FLAGS, '--import', probe];
  if (options.profileDir) {
    mkdirSync(options.profileDir, { recursive: true });
    nodeArgs.push('--cpu-prof', `--cpu-prof-dir=${options.profileDir}`);
  }
  // ulimit -n: 65536 if allowed, else the hard limit (a container may forbid raising it).
  const shell = 'ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"; exec "$@"';
  const command = [process.execPath, ...nodeArgs, scripts[kind]];
  const pinned = hasTaskset();
  const argv = pinned
    ? ['taskset', '-c', String(options.core ?? SERVER_CORE), 'bash', '-c', shell, 'bash', ...command]
    : ['bash', '-c', shell, 'bash', ...command];
  const child: ChildProcess = spawn(argv[0] as string, argv.slice(1), {
    cwd: root,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      RATE_LIMIT_MESSAGES: '1000000',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-20_000)));
  child.stderr?.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-20_000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  while (!(await healthy(url))) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${kind} exited at start:\n${output}`);
    if (Date.now() > deadline) throw new Error(`${kind} did not start within 30 s:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const pid = child.pid as number;

  const waiting = new Map<number, (answer: ProbeAnswer) => void>();
  let nextId = 0;
  child.on('error', () => undefined);
  child.on('message', (answer: ProbeAnswer) => {
    waiting.get(answer.id)?.(answer);
    waiting.delete(answer.id);
  });

  return {
    kind,
    url,
    pid,
    pinned,
    probe(what = 'stats', file?: string) {
      const id = nextId++;
      if (!child.connected) return Promise.reject(new Error(`${kind} is gone:\n${output}`));
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${kind} probe ${what} timed out`)), 30_000);
        waiting.set(id, (answer) => {
          clearTimeout(timer);
          resolve(answer);
        });
        child.send({ probe: what, id, file });
      });
    },
    cpuMicros: () => cpuMicros(pid),
    rssBytes: () => rssBytes(pid),
    output: () => output,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      if (child.connected) child.disconnect();
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
