import { randomBytes } from 'node:crypto';
import type { PresenceStatus } from '@pockychat/protocol';
import type { Delivery, Fanout } from '../fanout/fanout.ts';
import type { Clock } from './clock.ts';
import { LocalPresence, type LocalChange } from './local-presence.ts';
import { PresenceDirectory } from './presence-directory.ts';
import { bestStatus, type PresenceNote } from './presence-note.ts';
import type { TabVisibility } from './ports/tab-visibility.ts';

export interface PresenceOptions {
  /** No activity for this long: away (5 minutes). */
  awayAfterMs: number;
  /** A user's changes go out at most once per this interval, coalesced to the latest. */
  minChangeIntervalMs: number;
  /** Each node publishes all its users this often; an entry not renewed for 3 snapshots expires. */
  snapshotEveryMs: number;
  /** The one timer of the node: away, held-back changes, snapshots, expiry. */
  sweepEveryMs: number;
}

export const defaultPresenceOptions: PresenceOptions = {
  awayAfterMs: 5 * 60_000,
  minChangeIntervalMs: 3000,
  snapshotEveryMs: 15_000,
  sweepEveryMs: 1000,
};

/** Where changes are told: the transport, which knows connections and rooms. */
export interface PresenceAudience {
  /** The rooms the user's connections on this node joined. */
  roomsOf(userId: string): Iterable<string>;
  /** Tells the connections of this node that share one of `rooms` with the user. */
  announce(userId: string, status: PresenceStatus, rooms: ReadonlySet<string>): void;
}

/**
 * Online / away / offline per user, across nodes. Each node is the
 * authority on its own users (LocalPresence) and publishes their changes
 * on the fan-out; every node keeps the others' notes (PresenceDirectory),
 * renewed by periodic snapshots and expired when a node stops sending them.
 * A user's status is the best of its nodes'; when it changes, each node
 * tells its own connections that share a room with the user.
 */
export class Presence implements TabVisibility {
  readonly node = randomBytes(8).toString('hex');
  readonly #fanout: Fanout;
  readonly #clock: Clock;
  readonly #options: PresenceOptions;
  readonly #local: LocalPresence;
  readonly #remote = new PresenceDirectory();
  /** The status this node last told its connections, for users not offline. */
  readonly #announced = new Map<string, PresenceStatus>();
  #audience: PresenceAudience | undefined;
  #timer: NodeJS.Timeout | undefined;
  #nextSnapshot = 0;

  constructor(deps: { fanout: Fanout; clock: Clock; options?: Partial<PresenceOptions> }) {
    this.#fanout = deps.fanout;
    this.#clock = deps.clock;
    this.#options = { ...defaultPresenceOptions, ...deps.options };
    this.#local = new LocalPresence({ clock: deps.clock, ...this.#options });
    deps.fanout.onDelivery((delivery) => {
      if (delivery.to === 'nodes' && delivery.kind === 'presence' && delivery.node !== this.node)
        this.#receive(delivery);
    });
  }

  /** Starts the sweep; changes are announced to `audience`. */
  start(audience: PresenceAudience): void {
    this.#audience = audience;
    this.#nextSnapshot = this.#clock.now() + this.#options.snapshotEveryMs;
    this.#timer = setInterval(() => this.sweep(), this.#options.sweepEveryMs);
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
  }

  opened(userId: string): void {
    this.#publish(this.#local.opened(userId));
  }

  closed(userId: string, wasVisible: boolean, rooms: Iterable<string>): void {
    this.#publish(this.#local.closed(userId, wasVisible, rooms));
  }

  activity(userId: string, visible: boolean, wasVisible: boolean): void {
    this.#publish(this.#local.activity(userId, visible, wasVisible));
  }

  /**
   * A connection of the user joined a room: its members hear the user's
   * status now, and the other nodes get the new room list (rate-limited).
   */
  joined(userId: string, room: string): void {
    const status = this.statusOf(userId);
    if (status !== 'offline') this.#audience?.announce(userId, status, new Set([room]));
    this.#publish(this.#local.joined(userId));
  }

  statusOf(userId: string): PresenceStatus {
    return bestStatus(this.#local.sentStatus(userId), this.#remote.statusOf(userId));
  }

  hasVisibleTab(userId: string): boolean {
    return this.#local.hasVisibleTab(userId) || this.#remote.hasVisibleTab(userId);
  }

  /** Runs on the node's one timer; public for tests driving a fake clock. */
  sweep(): void {
    const changes = this.#local.sweep();
    if (changes.length > 0) this.#publishAll(changes);
    const now = this.#clock.now();
    if (now < this.#nextSnapshot) return;
    this.#nextSnapshot = now + this.#options.snapshotEveryMs;
    this.#snapshot();
    for (const { userId, rooms } of this.#remote.expire(now - 3 * this.#options.snapshotEveryMs)) {
      this.#reannounce(userId, rooms);
    }
  }

  #publish(change: LocalChange | undefined): void {
    if (change) this.#publishAll([change]);
  }

  #publishAll(changes: LocalChange[]): void {
    const notes = changes.map((change) => this.#noteOf(change.userId, change.status, change.visible, change.lastRooms));
    this.#fanout.publish({ to: 'nodes', kind: 'presence', node: this.node, notes });
    for (const note of notes) this.#reannounce(note.userId, note.rooms);
  }

  #noteOf(userId: string, status: PresenceStatus, visible: boolean, lastRooms?: readonly string[]): PresenceNote {
    const rooms = lastRooms ?? [...new Set(this.#audience?.roomsOf(userId) ?? [])];
    return { userId, status, visible, rooms: [...rooms] };
  }

  #snapshot(): void {
    const notes: PresenceNote[] = [];
    for (const { userId, status, visible } of this.#local.published()) {
      notes.push(this.#noteOf(userId, status, visible));
    }
    if (notes.length > 0) this.#fanout.publish({ to: 'nodes', kind: 'presence', node: this.node, notes });
  }

  #receive(delivery: Extract<Delivery, { to: 'nodes' }>): void {
    const now = this.#clock.now();
    for (const note of delivery.notes) {
      const before = this.#remote.apply(delivery.node, note, now);
      if (this.#reannounce(note.userId, before ? [...note.rooms, ...before] : note.rooms)) continue;
      // No change, but rooms the user joined there: their members here hear its status.
      const added = new Set(note.rooms);
      for (const room of before ?? []) added.delete(room);
      if (added.size > 0 && note.status !== 'offline')
        this.#audience?.announce(note.userId, this.statusOf(note.userId), added);
    }
  }

  /** Tells this node's connections when the user's status across nodes is not what they last heard; true if so. */
  #reannounce(userId: string, rooms: Iterable<string>): boolean {
    const status = this.statusOf(userId);
    if (status === (this.#announced.get(userId) ?? 'offline')) return false;
    if (status === 'offline') this.#announced.delete(userId);
    else this.#announced.set(userId, status);
    if (!this.#audience) return true;
    const where = new Set(rooms);
    for (const room of this.#audience.roomsOf(userId)) where.add(room);
    for (const room of this.#remote.roomsOf(userId)) where.add(room);
    this.#audience.announce(userId, status, where);
    return true;
  }
}
