import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Delivery, Fanout } from './fanout.ts';
import { LocalFanout } from './local-fanout.ts';
import { OutboxRelay, outboxIdOf, type OutboxSource } from './outbox-relay.ts';
import { RecentIds } from './recent-ids.ts';

const CHANNEL = 'pockychat:deliveries';
const MAX_BACKLOG = 10_000;

/** One Redis message: the deliveries a node published during one tick, in order. */
interface Envelope {
  node: string;
  deliveries: Delivery[];
}

/** An envelope as sent, with the outbox ids it carries (their rows go once it is on Redis). */
interface Outgoing {
  encoded: string;
  ids: string[];
}

export interface RedisFanoutOptions {
  /** The transactional outbox: rows deleted once published, leftovers of dead nodes swept and published. */
  outbox?: OutboxSource;
  /**
   * Test only (POCKYCHAT_TEST_HOLD_PUBLISH): nothing is published on Redis and
   * nothing swept, as if the node died between each commit and its publish.
   */
  holdPublish?: boolean;
}

/**
 * Several nodes: each delivery is handed to this node's connections
 * directly and published once on Redis for the others, which ignore their
 * own echoes. When Redis is away, local delivery goes on; what other nodes
 * missed, their clients fetch from history (the resync handlers are told
 * when the subscription comes back). The deliveries of one tick (a group
 * commit's worth of messages) travel as one Redis message: one PUBLISH and
 * one parse per batch, not per delivery.
 *
 * Messages are also in the outbox (storage/outbox.ts), written in their
 * transaction: a node that dies between its commit and its publish leaves
 * rows that another node's sweeper publishes (OutboxRelay). So a message can
 * come twice; each node delivers a message id once (RecentIds). So do the
 * deliveries that take a permission away (a ban, a removal, an ended token):
 * each carries an id of its own, which keys its row and is delivered once.
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
  #backlog: Outgoing[] = [];
  #outgoing: Delivery[] = [];
  /**
   * Outbox ids (messages, their changes, deliveries with an id) delivered here lately: 30 s or 50,000 at the
   * least, far past the outbox's grace.
   */
  readonly #delivered = new RecentIds({ maxAgeMs: 30_000, maxPerGeneration: 50_000 });
  readonly #relay: OutboxRelay | undefined;
  readonly #holdPublish: boolean;
  readonly #flush = (): void => {
    const deliveries = this.#outgoing;
    this.#outgoing = [];
    const ids: string[] = [];
    for (const delivery of deliveries) {
      const id = outboxIdOf(delivery);
      if (id !== undefined) ids.push(id);
    }
    this.#send({ encoded: JSON.stringify({ node: this.#node, deliveries } satisfies Envelope), ids });
  };

  constructor(url: string, log: Logger, options: RedisFanoutOptions = {}) {
    this.#log = log;
    this.#holdPublish = options.holdPublish ?? false;
    this.#relay =
      options.outbox &&
      new OutboxRelay({
        source: options.outbox,
        log,
        republish: (deliveries) => {
          for (const delivery of deliveries) this.publish(delivery);
        },
        canPublish: () => this.connected,
      });
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
    if (!this.#holdPublish) this.#relay?.startSweeping();
  }

  publish(delivery: Delivery): void {
    this.#deliverHere(delivery);
    if (this.#outgoing.push(delivery) === 1) process.nextTick(this.#flush);
  }

  /** To this node's connections, unless this message was already delivered here. */
  #deliverHere(delivery: Delivery): void {
    const id = outboxIdOf(delivery);
    if (id !== undefined && !this.#delivered.add(id)) return;
    this.#local.publish(delivery);
  }

  #send(outgoing: Outgoing): void {
    if (this.#holdPublish) return;
    this.#pub.publish(CHANNEL, outgoing.encoded).then(
      () => {
        if (outgoing.ids.length > 0) this.#relay?.published(outgoing.ids);
      },
      (err: Error) => {
        this.#onError(err);
        // Kept (boundedly) for when Redis is back; beyond that, the outbox rows stay and are swept.
        if (this.#backlog.length < MAX_BACKLOG) this.#backlog.push(outgoing);
      },
    );
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
    // Redis answers in order: after this PING, every publish above has settled and reported its ids.
    if (this.#relay && this.#pub.status === 'ready') await this.#pub.ping().catch(() => undefined);
    await this.#relay?.close();
    await this.#local.close();
    this.#pub.disconnect();
    this.#sub.disconnect();
  }

  #receive(raw: string): void {
    if (raw.startsWith(this.#echo)) return;
    try {
      const envelope = JSON.parse(raw) as Envelope;
      for (const delivery of envelope.deliveries) this.#deliverHere(delivery);
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
      for (const outgoing of backlog) this.#send(outgoing);
    }
    if (!this.#lost || !this.connected) return;
    this.#lost = false;
    this.#log.info('redis fan-out is back');
    for (const handler of this.#resyncHandlers) handler();
  }
}
