import type { Message } from '@pockychat/protocol';
import type { Logger } from 'pino';
import type { Delivery, OutboxDelivery } from './fanout.ts';

/** How often each node looks for rows left by a node that died between its commit and its publish. */
const SWEEP_EVERY_MS = 1000;
/** Rows (each a commit's messages) taken per sweep: a dead node's leftovers drain at this many a second per node. */
const SWEEP_LIMIT = 50;
/** Published rows are deleted in one statement per this long, off the path of any message. */
const DELETE_EVERY_MS = 200;

/**
 * What the relay needs of the outbox table (storage/outbox.ts: rows keyed by
 * message id or delivery id, written in the transaction of what they
 * report) and of the messages.
 */
export interface OutboxSource {
  delete(ids: readonly string[]): Promise<void>;
  /**
   * Rows due (left longer than a grace period), each taken for a while so no
   * other node takes it too: the messages they name, the deliveries they carry.
   */
  claimDue(
    limit: number,
  ): Promise<{ messages: Array<{ id: string; room: string; rev?: number }>; deliveries: OutboxDelivery[] }>;
  findMessage(room: string, id: string): Promise<Message | undefined>;
}

/**
 * The outbox id of a delivery (it names the row: the message id for a new
 * message, `id@rev` for a change of one, its own id for a delivery taking a
 * permission away), or undefined for the deliveries with no row.
 */
export function outboxIdOf(delivery: Delivery): string | undefined {
  if (delivery.to === 'nodes') return undefined;
  if (delivery.to !== 'room' && delivery.id !== undefined) return delivery.id;
  const { frame } = delivery;
  if (frame.type === 'message') return frame.message.id;
  if (frame.type === 'updated') return `${frame.message.id}@${frame.message.rev}`;
  return undefined;
}

/**
 * The fan-out's side of the transactional outbox: deletes the rows of the
 * deliveries that reached Redis (batched), and sweeps, publishing the
 * messages of rows that stayed past their grace period (their node died or
 * stalled before publishing). A row may so be published twice (its node was
 * only slow); receivers drop an outbox id they have delivered.
 */
export class OutboxRelay {
  readonly #source: OutboxSource;
  readonly #log: Logger;
  readonly #republish: (deliveries: Delivery[]) => void;
  readonly #canPublish: () => boolean;
  #published: string[] = [];
  #deleteTimer: NodeJS.Timeout | undefined;
  #sweepTimer: NodeJS.Timeout | undefined;
  #sweep: Promise<void> | undefined;

  constructor(options: {
    source: OutboxSource;
    log: Logger;
    /** Publishes to this node's clients and to the other nodes. */
    republish: (deliveries: Delivery[]) => void;
    /** False while Redis is away: a row taken then would only wait out another grace period. */
    canPublish: () => boolean;
  }) {
    this.#source = options.source;
    this.#log = options.log;
    this.#republish = options.republish;
    this.#canPublish = options.canPublish;
  }

  startSweeping(): void {
    this.#sweepTimer = setInterval(() => {
      this.#sweep ??= this.#sweepOnce().finally(() => (this.#sweep = undefined));
    }, SWEEP_EVERY_MS);
    this.#sweepTimer.unref();
  }

  /** These outbox ids are on Redis: their rows go in the next DELETE. */
  published(ids: readonly string[]): void {
    for (const id of ids) this.#published.push(id);
    this.#deleteTimer ??= setTimeout(() => void this.#deletePublished(), DELETE_EVERY_MS);
  }

  /** Stops sweeping and deletes what was published (the store is still open). */
  async close(): Promise<void> {
    clearInterval(this.#sweepTimer);
    await this.#sweep;
    await this.#deletePublished();
  }

  async #deletePublished(): Promise<void> {
    clearTimeout(this.#deleteTimer);
    this.#deleteTimer = undefined;
    const ids = this.#published;
    this.#published = [];
    if (ids.length === 0) return;
    // Rows left (the database away) are swept later and dropped as duplicates by the receivers.
    await this.#source.delete(ids).catch((err: Error) => this.#log.warn({ err: err.message }, 'outbox delete failed'));
  }

  /**
   * Rows of changes: each message is published as it is now, an `updated`
   * frame with its latest rev (clients apply a frame only if its rev is
   * newer). That rev may be past the row's, so the row is forgotten here, not
   * from the publish's ids; if that publish is lost too, clients still catch
   * up from history?changedSince when the fan-out comes back.
   */
  async #sweepChanges(rows: Array<{ id: string; room: string; rev?: number }>): Promise<void> {
    if (rows.length === 0) return;
    const found = await Promise.all(rows.map((row) => this.#source.findMessage(row.room, row.id)));
    const latest = new Map<string, Message>();
    for (const message of found) if (message) latest.set(message.id, message);
    this.#log.info({ count: latest.size }, 'publishing changes left in the outbox');
    this.#republish(
      [...latest.values()].map((message) => ({ to: 'room', room: message.room, frame: { type: 'updated', message } })),
    );
    this.published(rows.map((row) => `${row.id}@${row.rev}`));
  }

  async #sweepOnce(): Promise<void> {
    if (!this.#canPublish()) return;
    try {
      const { messages: claimed, deliveries } = await this.#source.claimDue(SWEEP_LIMIT);
      if (deliveries.length > 0) {
        // Carried whole: published as they are; their rows go once Redis took them, by their ids.
        this.#log.info({ count: deliveries.length }, 'publishing deliveries left in the outbox');
        this.#republish(deliveries);
      }
      if (claimed.length === 0) return;
      await this.#sweepChanges(claimed.filter((row) => row.rev !== undefined));
      const rows = claimed.filter((row) => row.rev === undefined);
      if (rows.length === 0) return;
      const found = await Promise.all(rows.map((row) => this.#source.findMessage(row.room, row.id)));
      const messages = found.filter((m): m is Message => m !== undefined).sort(byRoomThenSeq);
      // A row whose message is not found (its DM room renamed by a merge meanwhile) has nothing to publish.
      if (messages.length < rows.length) this.published(rows.filter((_, i) => !found[i]).map((row) => row.id));
      this.#log.info({ count: messages.length }, 'publishing messages left in the outbox');
      this.#republish(
        messages.map((message) => ({ to: 'room', room: message.room, frame: { type: 'message', message } })),
      );
    } catch (err) {
      this.#log.warn({ err: (err as Error).message }, 'outbox sweep failed');
    }
  }
}

function byRoomThenSeq(a: Message, b: Message): number {
  return a.room < b.room ? -1 : a.room > b.room ? 1 : a.seq - b.seq;
}
