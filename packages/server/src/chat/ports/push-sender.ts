import type { PushSubscriptionRecord } from './push-store.ts';

/**
 * What the push service made of one push: delivered (accepted), gone (404
 * or 410: the subscription is dead and is deleted), or failed (anything
 * else: kept, and logged).
 */
export type PushOutcome = { status: 'sent' } | { status: 'gone' } | { status: 'failed'; error: string };

/** Sends one encrypted push (RFC 8030/8291) signed with the server's VAPID key (RFC 8292). */
export interface PushSender {
  readonly publicKey: string;
  send(subscription: PushSubscriptionRecord, payload: string, options: { tag: string }): Promise<PushOutcome>;
}
