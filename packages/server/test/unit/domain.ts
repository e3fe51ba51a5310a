import type { User, Visibility } from '@pockychat/protocol';
import { Accounts } from '../../src/chat/accounts.ts';
import { ChatService } from '../../src/chat/chat-service.ts';
import type { Clock } from '../../src/chat/clock.ts';
import { Identity } from '../../src/chat/identity.ts';
import { RoomAdmin } from '../../src/chat/room-admin.ts';
import type { Delivery, Fanout, FrameDelivery } from '../../src/fanout/fanout.ts';
import type { BlobStore } from '../../src/files/blob-store.ts';
import { LocalFanout } from '../../src/fanout/local-fanout.ts';
import { MemoryStore } from '../../src/storage/memory/memory-store.ts';

/** The domain on the in-memory store, for fast tests of its rules without a server. */

/** Time that moves only when a test says so. */
export class FakeClock implements Clock {
  #now = Date.parse('2026-01-01T00:00:00.000Z');

  now(): number {
    return this.#now;
  }

  advance(ms: number): void {
    this.#now += ms;
  }
}

/** A LocalFanout that also keeps, in order, every delivery published. */
export class RecordingFanout implements Fanout {
  readonly #local = new LocalFanout();
  #published: Delivery[] = [];

  publish(delivery: Delivery): void {
    this.#published.push(delivery);
    this.#local.publish(delivery);
  }

  onDelivery(handler: (delivery: Delivery) => void): void {
    this.#local.onDelivery(handler);
  }

  close(): Promise<void> {
    return this.#local.close();
  }

  /** The deliveries for clients published since the last call (presence's notes between nodes left out). */
  take(): FrameDelivery[] {
    const published = this.#published;
    this.#published = [];
    return published.filter((delivery): delivery is FrameDelivery => delivery.to !== 'nodes');
  }
}

/** A join with no connection behind it. */
export const NO_SUBSCRIPTION = { subscribe: async () => {}, unsubscribe: async () => {} };

export const MESSAGES_PER_WINDOW = 5;
export const WINDOW_MS = 10_000;

export function domain(options: { blobs?: Pick<BlobStore, 'delete'> } = {}) {
  const store = new MemoryStore();
  const fanout = new RecordingFanout();
  const clock = new FakeClock();
  const chat = new ChatService({
    store,
    fanout,
    clock,
    rateLimit: { messages: MESSAGES_PER_WINDOW, windowMs: WINDOW_MS },
    ...(options.blobs && { blobs: options.blobs }),
  });
  const identity = new Identity({ store, clock, fanout });
  return {
    store,
    fanout,
    clock,
    chat,
    identity,
    admin: new RoomAdmin({ store, fanout, clock }),
    accounts: new Accounts({ store, identity, clock }),
    guest: async (name: string): Promise<User> => (await identity.createGuest(name)).user,
    /** Joins with nothing to subscribe. */
    join: (user: User, room: string, visibility?: Visibility) => chat.join(user, room, visibility, NO_SUBSCRIPTION),
  };
}

let sent = 0;
/** A send frame with a fresh clientId unless one is given. */
export function textFrame(room: string, text = 'hi', clientId = `client-${++sent}`) {
  return { room, text, clientId };
}
