import type { PresenceStatus } from '@pockychat/protocol';
import type { Clock } from './clock.ts';

/** What this node knows of one of its users: counts, not a record per connection. */
interface LocalUser {
  connections: number;
  /** Connections whose last report was visible:true. */
  visible: number;
  /** When a connection last reported visible:true (-Infinity: never). */
  activeAt: number;
  /** The status and visibility last published, and when. */
  sent: PresenceStatus;
  sentVisible: boolean;
  sentAt: number;
  /** The rooms of the connection that closed last: where an offline is announced. */
  lastRooms: readonly string[];
  /** A connection joined a room since the last publish: the other nodes need the new room list. */
  roomsChanged: boolean;
}

export interface LocalChange {
  userId: string;
  status: PresenceStatus;
  visible: boolean;
  /** Set when the user has no connection left here (its rooms as they were). */
  lastRooms?: readonly string[];
}

export interface LocalPresenceOptions {
  clock: Clock;
  /** A user whose connections reported no activity for this long is away. */
  awayAfterMs: number;
  /** A user's changes are published at most once per this interval; the latest wins. */
  minChangeIntervalMs: number;
}

/**
 * The presence of this node's users, as a state machine driven by
 * connection events and the clock: opened → away at the next sweep (or
 * online at once if active first),
 * quiet for awayAfterMs → away, last connection closed → offline. A change
 * comes out at once, or, when the user changed less than
 * minChangeIntervalMs ago, from a later sweep with the user's state then
 * (flapping coalesces to the latest).
 */
export class LocalPresence {
  readonly #users = new Map<string, LocalUser>();
  readonly #pending = new Set<string>();
  readonly #options: LocalPresenceOptions;

  constructor(options: LocalPresenceOptions) {
    this.#options = options;
  }

  opened(userId: string): LocalChange | undefined {
    let user = this.#users.get(userId);
    if (!user) {
      user = {
        connections: 0,
        visible: 0,
        activeAt: -Infinity,
        sent: 'offline',
        sentVisible: false,
        sentAt: -Infinity,
        lastRooms: [],
        roomsChanged: false,
      };
      this.#users.set(userId, user);
    }
    user.connections++;
    if (user.connections === 1 && user.sent === 'offline') {
      // Held for the next sweep (a second at most): the activity frame a client sends as it
      // connects then goes out as one change to online, not as away first and online 3 s later.
      this.#pending.add(userId);
      return undefined;
    }
    return this.#changed(userId, user);
  }

  /** `wasVisible`: the connection's last report; `rooms`: the rooms it had joined. */
  closed(userId: string, wasVisible: boolean, rooms: Iterable<string>): LocalChange | undefined {
    const user = this.#users.get(userId);
    if (!user || user.connections === 0) return undefined;
    user.connections--;
    if (wasVisible) user.visible--;
    if (user.connections === 0) user.lastRooms = [...rooms];
    return this.#changed(userId, user);
  }

  activity(userId: string, visible: boolean, wasVisible: boolean): LocalChange | undefined {
    const user = this.#users.get(userId);
    if (!user || user.connections === 0) return undefined;
    user.visible += Number(visible) - Number(wasVisible);
    if (visible) user.activeAt = this.#options.clock.now();
    return this.#changed(userId, user);
  }

  /** One of the user's connections joined a room: a note with the rooms goes out (rate-limited like a change). */
  joined(userId: string): LocalChange | undefined {
    const user = this.#users.get(userId);
    if (!user || user.connections === 0) return undefined;
    user.roomsChanged = true;
    return this.#changed(userId, user);
  }

  /** The status last published for a user of this node. */
  sentStatus(userId: string): PresenceStatus {
    return this.#users.get(userId)?.sent ?? 'offline';
  }

  /** Live, not as published: another node's view may lag by minChangeIntervalMs. */
  hasVisibleTab(userId: string): boolean {
    return (this.#users.get(userId)?.visible ?? 0) > 0;
  }

  /** Users going away for quiet, and changes held back by the rate limit that are now due. */
  sweep(): LocalChange[] {
    const changes: LocalChange[] = [];
    const awayAt = this.#options.clock.now() - this.#options.awayAfterMs;
    for (const [userId, user] of this.#users) {
      if (user.sent === 'online' && user.activeAt <= awayAt) this.#collect(changes, userId, user);
    }
    for (const userId of this.#pending) {
      const user = this.#users.get(userId);
      if (user) this.#collect(changes, userId, user);
      else this.#pending.delete(userId);
    }
    return changes;
  }

  /** Every user with a connection here, as last published (for the periodic snapshot). */
  *published(): Iterable<{ userId: string; status: PresenceStatus; visible: boolean }> {
    for (const [userId, user] of this.#users) {
      if (user.sent !== 'offline') yield { userId, status: user.sent, visible: user.sentVisible };
    }
  }

  #collect(changes: LocalChange[], userId: string, user: LocalUser): void {
    const change = this.#changed(userId, user);
    if (change) changes.push(change);
  }

  #statusOf(user: LocalUser): PresenceStatus {
    if (user.connections === 0) return 'offline';
    return user.activeAt > this.#options.clock.now() - this.#options.awayAfterMs ? 'online' : 'away';
  }

  #changed(userId: string, user: LocalUser): LocalChange | undefined {
    const status = this.#statusOf(user);
    const visible = user.visible > 0;
    if (status === user.sent && visible === user.sentVisible && !user.roomsChanged) {
      this.#pending.delete(userId);
      if (status === 'offline') this.#users.delete(userId);
      return undefined;
    }
    const now = this.#options.clock.now();
    if (now - user.sentAt < this.#options.minChangeIntervalMs) {
      this.#pending.add(userId);
      return undefined;
    }
    this.#pending.delete(userId);
    user.sent = status;
    user.sentVisible = visible;
    user.sentAt = now;
    user.roomsChanged = false;
    if (status !== 'offline') return { userId, status, visible };
    this.#users.delete(userId);
    return { userId, status, visible, lastRooms: user.lastRooms };
  }
}
