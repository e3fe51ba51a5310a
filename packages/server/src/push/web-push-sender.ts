import { createHash } from 'node:crypto';
import { lookup, type LookupAddress } from 'node:dns';
import { Agent, type AgentOptions } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import webpush, { WebPushError } from 'web-push';
import type { PushOutcome, PushSender } from '../chat/ports/push-sender.ts';
import type { PushSubscriptionRecord } from '../chat/ports/push-store.ts';
import { isPrivateAddress } from './private-address.ts';
import type { VapidKeys } from './vapid-keys.ts';

export interface WebPushSenderOptions {
  keys: VapidKeys;
  subject: string;
  allowPrivateEndpoints: boolean;
  /** Extra TLS settings for the push services' connections (a test's own CA). */
  tls?: Pick<AgentOptions, 'ca'>;
  /** How long a push service has to answer. */
  timeoutMs?: number;
}

/**
 * Pushes with the web-push library: aes128gcm encryption (RFC 8291) and a
 * VAPID JWT (RFC 8292). Its agent resolves hosts through a lookup that
 * refuses private addresses (unless allowed): the endpoint was checked at
 * subscribe time, but DNS may answer differently now.
 */
export class WebPushSender implements PushSender {
  readonly publicKey: string;
  readonly #options: WebPushSenderOptions;
  readonly #agent: Agent;

  constructor(options: WebPushSenderOptions) {
    this.publicKey = options.keys.publicKey;
    this.#options = options;
    this.#agent = new Agent({
      keepAlive: true,
      maxSockets: 16,
      ...options.tls,
      ...(!options.allowPrivateEndpoints && { lookup: publicOnlyLookup }),
    });
  }

  async send(subscription: PushSubscriptionRecord, payload: string, options: { tag: string }): Promise<PushOutcome> {
    const { keys, subject } = this.#options;
    // The lookup below never sees an IP literal: one stored while private endpoints were allowed stops here.
    const host = new URL(subscription.endpoint).hostname.replace(/^\[(.*)\]$/, '$1');
    if (!this.#options.allowPrivateEndpoints && isIP(host) && isPrivateAddress(host)) {
      return { status: 'failed', error: 'the endpoint is a private address' };
    }
    try {
      await webpush.sendNotification(
        { endpoint: subscription.endpoint, keys: { p256dh: subscription.p256dh, auth: subscription.auth } },
        payload,
        {
          vapidDetails: { subject, publicKey: keys.publicKey, privateKey: keys.privateKey },
          contentEncoding: 'aes128gcm',
          TTL: 24 * 60 * 60,
          urgency: 'high',
          // A push waiting at the push service is replaced by a newer one of the same topic (RFC 8030 5.4).
          topic: topicOf(options.tag),
          agent: this.#agent,
          timeout: this.#options.timeoutMs ?? 10_000,
        },
      );
      return { status: 'sent' };
    } catch (err) {
      if (err instanceof WebPushError && (err.statusCode === 404 || err.statusCode === 410)) return { status: 'gone' };
      const status = err instanceof WebPushError ? ` (HTTP ${err.statusCode})` : '';
      return { status: 'failed', error: `${(err as Error).message}${status}` };
    }
  }

  close(): void {
    this.#agent.destroy();
  }
}

/** dns.lookup, failing for any host that resolves to a loopback or private address. */
const publicOnlyLookup: LookupFunction = (hostname, options, callback) => {
  lookup(hostname, { ...options, all: true }, (err, addresses: LookupAddress[]) => {
    if (err) return callback(err, '', 0);
    if (addresses.length === 0 || addresses.some((a) => isPrivateAddress(a.address))) {
      const refused = Object.assign(new Error(`push endpoint ${hostname} resolves to a private address`), {
        code: 'EPRIVATE',
      });
      return callback(refused, '', 0);
    }
    if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
    const first = addresses[0] as LookupAddress;
    return callback(null, first.address, first.family);
  });
};

/** A Topic is at most 32 characters of base64url: a digest of the tag (a room name may hold ':'). */
function topicOf(tag: string): string {
  return createHash('sha256').update(tag).digest('base64url').slice(0, 32);
}
