import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Delivery, Fanout } from './fanout.ts';
import { LocalFanout } from './local-fanout.ts';

const CHANNEL = 'pockychat:deliveries';
const MAX_BACKLOG = 10_000;

/** One Redis message: the deliveries a node published during one tick, in order. */
interface Envelope {
  node: string;
  deliveries: Delivery[];
}

/**
 * Several nodes: each delivery is handed to this node's connections
 * directly and published once on Redis for the others, which ignore their
 * own echoes. When Redis is away, local delivery goes on; what other nodes
 * missed, their clients fetch from history (the resync handlers are told
 * when the subscription comes back). The deliveries of one tick (a group
 * commit's worth of messages) travel as one Redis message: one PUBLISH and
 * one parse per batch, not per delivery.
 */
export class RedisFanout implements Fanout {
  readonly #node = randomBytes(8).toString('hex');
  /** How this node's own envelopes begin (JSON.stringify keeps key order): its echoes are dropped unparsed. */
  readonly #echo = `{"node":"${this.#node}",`;
  readonly #local = new LocalFanout();
  readonly #pub: Redis;
  readonly #sub: Redis;
  readonly #log: Logger;
  readonly #resyncHandlers: Array<() => void> = [];
  #lost = false;
  #backlog: string[] = [];
  #outgoing: Delivery[] = [];
  readonly #flush = (): void => {
    const deliveries = this.#outgoing;
    this.#outgoing = [];
    this.#send(JSON.stringify({ node: this.#node, deliveries } satisfies Envelope));
  };

  constructor(url: string, log: Logger) {
    this.#log = log;
    // No offline queue: a publish while Redis is away fails now instead of piling up in memory.
    this.#pub = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: true });
    this.#sub = new Redis(url, { maxRetriesPerRequest: null, lazyConnect: true });
    for (const client of [this.#pub, this.#sub]) {
      client.on('error', (err: Error) => this.#onError(err));
      client.on('close', () => this.#onError(new Error('connection closed')));
    }
    this.#sub.on('message', (_channel: string, raw: string) => this.#receive(raw));
    this.#sub.on('ready', () => this.#onReady());
    this.#pub.on('ready', () => this.#onReady());
  }

  async connect(): Promise<void> {
    await Promise.all([this.#pub.connect(), this.#sub.connect()]);
    await this.#sub.subscribe(CHANNEL);
  }

  publish(delivery: Delivery): void {
    this.#local.publish(delivery);
    if (this.#outgoing.push(delivery) === 1) process.nextTick(this.#flush);
  }

  #send(encoded: string): void {
    this.#pub.publish(CHANNEL, encoded).catch((err: Error) => {
      this.#onError(err);
      // Kept (boundedly) for when Redis is back; beyond that, clients catch up from history.
      if (this.#backlog.length < MAX_BACKLOG) this.#backlog.push(encoded);
    });
  }

  onDelivery(handler: (delivery: Delivery) => void): void {
    this.#local.onDelivery(handler);
  }

  /** Called after Redis came back: deliveries from other nodes may have been missed meanwhile. */
  onResync(handler: () => void): void {
    this.#resyncHandlers.push(handler);
  }

  get connected(): boolean {
    return this.#pub.status === 'ready' && this.#sub.status === 'ready';
  }

  async close(): Promise<void> {
    if (this.#outgoing.length > 0) this.#flush();
    await this.#local.close();
    this.#pub.disconnect();
    this.#sub.disconnect();
  }

  #receive(raw: string): void {
    if (raw.startsWith(this.#echo)) return;
    try {
      const envelope = JSON.parse(raw) as Envelope;
      for (const delivery of envelope.deliveries) this.#local.publish(delivery);
    } catch (err) {
      this.#log.warn({ err }, 'ignoring a malformed fan-out message');
    }
  }

  #onError(err: Error): void {
    if (!this.#lost) this.#log.error({ err: err.message }, 'redis fan-out unavailable; serving local clients only');
    this.#lost = true;
  }

  #onReady(): void {
    if (this.#pub.status === 'ready' && this.#backlog.length > 0) {
      const backlog = this.#backlog;
      this.#backlog = [];
      for (const encoded of backlog) this.#send(encoded);
    }
    if (!this.#lost || !this.connected) return;
    this.#lost = false;
    this.#log.info('redis fan-out is back');
    for (const handler of this.#resyncHandlers) handler();
  }
}
