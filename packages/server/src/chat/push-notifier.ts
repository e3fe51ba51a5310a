import {
  defaultNotificationLevel,
  dmParticipants,
  type Message,
  type NotificationLevel,
  type PushPayload,
} from '@pockychat/protocol';
import type { PushSender } from './ports/push-sender.ts';
import type { PushStore, PushSubscriptionRecord } from './ports/push-store.ts';
import type { RoomStore } from './ports/room-store.ts';
import type { TabVisibility } from './ports/tab-visibility.ts';

/** What the notifier logs: failures to push are kept from the senders, not thrown at them. */
export interface PushLog {
  warn(details: object, message: string): void;
  debug(details: object, message: string): void;
}

export interface PushNotifierDeps {
  store: Pick<RoomStore, 'isMember'> & { push: PushStore };
  sender: PushSender;
  tabs: TabVisibility;
  log: PushLog;
  /** Jobs (a message's recipients, one push) running at once. */
  concurrency?: number;
  /** Jobs waiting beyond which new ones are dropped (and logged): a stuck push service must not eat memory. */
  maxQueued?: number;
  /** Milliseconds since the epoch (Date.now unless given). */
  now?: () => number;
}

/**
 * How long a room's notification levels are reused: a send then costs no
 * query (node:sqlite runs on the event loop), and a level set on another
 * node applies within this; one set on this node applies at once.
 */
export const LEVELS_TTL_MS = 5000;
/** Rooms whose levels are kept at most; beyond, the oldest reads are dropped. */
const LEVELS_KEPT = 10_000;

/** A room's levels as read at `at`; `anyAll` once read: whether anyone set the room to 'all'. */
interface KeptLevels {
  at: number;
  levels: Promise<Map<string, NotificationLevel>>;
  anyAll: boolean | undefined;
}

const BODY_CHARS = 200;
const NEUTRAL_BODY = 'New message';

/**
 * Web Push for stored messages, on the node that stored them: a DM, a
 * mention, or any message of a room set to 'all', for each member but the
 * author who did not mute the room and has no tab in view. Runs off the
 * path of the send: `notify` only queues, jobs start on a later turn (after
 * the ack is written) with bounded concurrency, and nothing they do reaches
 * the sender.
 */
export class PushNotifier {
  readonly #store: PushNotifierDeps['store'];
  readonly #push: PushStore;
  readonly #sender: PushSender;
  readonly #tabs: TabVisibility;
  readonly #log: PushLog;
  readonly #concurrency: number;
  readonly #maxQueued: number;
  readonly #queue: (() => Promise<void>)[] = [];
  #running = 0;
  #idle: (() => void)[] = [];
  readonly #now: () => number;
  readonly #levels = new Map<string, KeptLevels>();

  constructor(deps: PushNotifierDeps) {
    this.#store = deps.store;
    this.#push = deps.store.push;
    this.#sender = deps.sender;
    this.#tabs = deps.tabs;
    this.#log = deps.log;
    this.#concurrency = deps.concurrency ?? 8;
    this.#maxQueued = deps.maxQueued ?? 10_000;
    this.#now = deps.now ?? Date.now;
  }

  /** A level of the room was set here: the next message reads them afresh. */
  forgetLevels(room: string): void {
    this.#levels.delete(room);
  }

  /** A new message was stored here: queue its pushes. Never throws, never waits. */
  notify(message: Message): void {
    if (message.deleted || this.#nobodyToTell(message)) return;
    this.#enqueue(() => this.#pushesFor(message), { messageId: message.id });
  }

  /**
   * Most messages push nothing: no mention, not a DM, and nobody set the
   * room to 'all'. When the room's levels are in memory and say so, such a
   * message costs no job (a send is the hot path).
   */
  #nobodyToTell(message: Message): boolean {
    if (message.mentions.length > 0 || dmParticipants(message.room)) return false;
    const kept = this.#levels.get(message.room);
    return kept?.anyAll === false && this.#now() - kept.at < LEVELS_TTL_MS;
  }

  /** Resolves once no job is queued or running (shutdown, tests). */
  idle(): Promise<void> {
    if (this.#running === 0 && this.#queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  #enqueue(job: () => Promise<void>, what: object): void {
    if (this.#queue.length >= this.#maxQueued) {
      this.#log.warn(what, 'push queue full: a push was dropped');
      return;
    }
    this.#queue.push(job);
    // Started on a later turn: the ack of the send that queued it leaves first.
    if (this.#running < this.#concurrency) setImmediate(() => this.#drain());
  }

  #drain(): void {
    while (this.#running < this.#concurrency) {
      const job = this.#queue.shift();
      if (!job) break;
      this.#running++;
      void job()
        .catch((err: unknown) => this.#log.warn({ err: (err as Error).message }, 'a push job failed'))
        .finally(() => {
          this.#running--;
          this.#drain();
        });
    }
    if (this.#running === 0 && this.#queue.length === 0) for (const resolve of this.#idle.splice(0)) resolve();
  }

  async #pushesFor(message: Message): Promise<void> {
    const recipients = await this.#recipients(message);
    if (recipients.length === 0) return;
    const subscriptions = await this.#push.pushSubscriptionsOf(recipients);
    const previews = new Map<string, boolean>();
    for (const subscription of subscriptions) {
      let preview = previews.get(subscription.userId);
      if (preview === undefined)
        previews.set(subscription.userId, (preview = await this.#push.notificationPreview(subscription.userId)));
      const payload = JSON.stringify(payloadOf(message, preview));
      this.#enqueue(() => this.#send(subscription, payload, message.room), { messageId: message.id });
    }
  }

  /**
   * Who hears of the message: the DM's other person, those mentioned, and
   * those who set the room to 'all'; then each by their level (theirs, or the
   * room's default), and only if no tab of theirs is in view.
   */
  async #recipients(message: Message): Promise<string[]> {
    const { room } = message;
    const levels = await this.#roomLevels(room);
    const mentioned = new Set(message.mentions);
    const candidates = new Set(mentioned);
    for (const [userId, level] of levels) if (level === 'all') candidates.add(userId);
    const pair = dmParticipants(room);
    const other = pair && (pair[0] === message.author.id ? pair[1] : pair[0]);
    // One who left the DM for good is not written to there.
    if (other && (await this.#store.isMember(room, other))) candidates.add(other);
    candidates.delete(message.author.id);
    return [...candidates].filter((userId) => {
      const level = levels.get(userId) ?? defaultNotificationLevel(room);
      const wanted = level === 'all' || (level === 'mentions' && mentioned.has(userId));
      return wanted && !this.#tabs.hasVisibleTab(userId);
    });
  }

  #roomLevels(room: string): Promise<Map<string, NotificationLevel>> {
    const now = this.#now();
    const kept = this.#levels.get(room);
    if (kept && now - kept.at < LEVELS_TTL_MS) return kept.levels;
    const levels = this.#push.roomNotificationLevels(room);
    this.#levels.delete(room);
    if (this.#levels.size >= LEVELS_KEPT) this.#levels.delete(this.#levels.keys().next().value as string);
    const entry: KeptLevels = { at: now, levels, anyAll: undefined };
    this.#levels.set(room, entry);
    levels.then(
      (read) => (entry.anyAll = [...read.values()].includes('all')),
      () => this.#levels.delete(room),
    );
    return levels;
  }

  async #send(subscription: PushSubscriptionRecord, payload: string, tag: string): Promise<void> {
    const outcome = await this.#sender.send(subscription, payload, { tag });
    if (outcome.status === 'gone') {
      await this.#push.dropPushSubscription(subscription.endpoint);
      this.#log.debug({ user: subscription.userId }, 'push subscription gone: deleted');
    } else if (outcome.status === 'failed') {
      this.#log.warn({ user: subscription.userId, error: outcome.error }, 'a push failed');
    }
  }
}

/** Title: who, and where for a named room; body: the text, or a neutral line when previews are off. */
export function payloadOf(message: Message, preview: boolean): PushPayload {
  const who = message.author.name;
  const title = dmParticipants(message.room) ? who : `${who} in #${message.room}`;
  return {
    type: 'message',
    room: message.room,
    messageId: message.id,
    seq: message.seq,
    title,
    body: preview ? previewText(message) : NEUTRAL_BODY,
    tag: message.room,
  };
}

function previewText(message: Message): string {
  const text = message.text.trim();
  if (!text) return message.file ? `📎 ${message.file.name}` : NEUTRAL_BODY;
  const chars = [...text];
  return chars.length <= BODY_CHARS ? text : `${chars.slice(0, BODY_CHARS - 1).join('')}…`;
}
