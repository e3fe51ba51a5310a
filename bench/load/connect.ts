import { performance } from 'node:perf_hooks';
import type { ServerKind } from '../servers/spawn.ts';
import type { BenchClient, Receiver } from './client.ts';
import { EngineIoClient } from './engineio-client.ts';
import { PrimusClient } from './primus-client.ts';
import { JsonFrameClient } from './ws-client.ts';

export interface Target {
  kind: ServerKind;
  /** One base URL per node; client i goes to node i mod nodes. */
  urls: string[];
  /** pockychat only: guest tokens, client i uses token i mod tokens. */
  tokens: string[];
}

export function connectOne(target: Target, index: number, receiver: Receiver): Promise<BenchClient> {
  const url = target.urls[index % target.urls.length] as string;
  switch (target.kind) {
    case 'ws':
      return JsonFrameClient.connect(url, index, receiver);
    case 'socketio':
      return EngineIoClient.connect(url, index, receiver);
    case 'pockychat': {
      const token = target.tokens[index % target.tokens.length];
      if (!token) throw new Error('pockychat needs guest tokens');
      return PrimusClient.connectPrimus(url, token, index, receiver);
    }
    case 'primus':
      return PrimusClient.connectPrimus(url, '', index, receiver);
  }
}

/** Opens `count` connections, `concurrency` handshakes at a time; also how many per second it managed. */
export async function connectMany(
  target: Target,
  count: number,
  receiver: Receiver,
  concurrency = 100,
  firstIndex = 0,
): Promise<{ clients: BenchClient[]; perSecond: number }> {
  const clients = new Array<BenchClient>(count);
  let next = 0;
  const t0 = performance.now();
  const worker = async () => {
    while (next < count) {
      const i = next++;
      clients[i] = await connectOne(target, firstIndex + i, receiver);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return { clients, perSecond: count / ((performance.now() - t0) / 1000) };
}

/** Joins each client to its room (`roomOf(i)`), a bounded number at a time. */
export async function joinAll(clients: BenchClient[], roomOf: (i: number) => string, concurrency = 50): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < clients.length) {
      const i = next++;
      await (clients[i] as BenchClient).join(roomOf(i));
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, clients.length) }, worker));
}

export function closeAll(clients: BenchClient[]): void {
  for (const client of clients) client.close();
}
