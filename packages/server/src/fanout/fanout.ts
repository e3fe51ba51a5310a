import type { ServerFrame } from '@pockychat/protocol';
import type { PresenceNote } from '../chat/presence-note.ts';

/**
 * A frame for everyone subscribed to a room (but `exceptUserId`), or for one
 * user's connections, which may first be unsubscribed from a room, or be
 * closed after the frame (their identity changed: they must sign in again).
 */
export type Delivery =
  | { to: 'room'; room: string; frame: ServerFrame; exceptUserId?: string }
  | {
      to: 'user';
      userId: string;
      frame: ServerFrame;
      unsubscribe?: string;
      close?: boolean;
      /** A connection (its id) that is not to get the frame: the one whose request it reports. */
      exceptConnection?: string;
      /** See OutboxDelivery. */
      id?: string;
    }
  /**
   * The connections opened with one token (by its hash): told, then closed;
   * for good, unless `reconnect` asks the client back (with other credentials).
   */
  | { to: 'token'; tokenHash: string; frame: ServerFrame; reconnect?: boolean; id?: string }
  /**
   * For the nodes themselves, not for clients: one node's presence notes on
   * its users (changes, or all of them in a periodic snapshot).
   */
  | { to: 'nodes'; kind: 'presence'; node: string; notes: PresenceNote[] };

/** The deliveries that carry a frame for clients. */
export type FrameDelivery = Exclude<Delivery, { to: 'nodes' }>;

/**
 * A delivery that takes a permission away (a ban, a removal, a token
 * ended), with an id of its own. With several nodes the store records it in
 * the outbox in the transaction of that change (storage/outbox.ts), so that
 * it reaches the other nodes even if this one dies before publishing it; it
 * may then come twice, and each node delivers an id once.
 */
export type OutboxDelivery = Extract<Delivery, { to: 'user' | 'token' }> & { id: string };

/**
 * Carries deliveries to every node, this one included. Implementations:
 * in-process (one node) and Redis pub/sub (many).
 */
export interface Fanout {
  publish(delivery: Delivery): void;
  onDelivery(handler: (delivery: Delivery) => void): void;
  /** Called when deliveries may have been lost (a broker outage ended): clients should catch up. */
  onResync?(handler: () => void): void;
  /** False while the fan-out cannot reach other nodes. */
  readonly connected?: boolean;
  close(): Promise<void>;
}
