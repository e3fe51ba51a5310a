import { z } from 'zod';
import { createJsonRequest } from './json-request.ts';

const PushKey = z.object({ publicKey: z.string().min(1) });

/** The push endpoints (helper "push"'s side of issue 16): the server's VAPID key, and this browser's subscription. */
export interface PushApi {
  publicKey(): Promise<string>;
  subscribe(subscription: PushSubscriptionJSON): Promise<void>;
  unsubscribe(endpoint: string): Promise<void>;
}

export function createPushApi(apiOrigin: string, getToken: () => string | null): PushApi {
  const { call, send } = createJsonRequest(apiOrigin, getToken);
  return {
    publicKey: async () => (await call('/push/key', PushKey)).publicKey,
    subscribe: (subscription) => send('/push/subscriptions', { method: 'POST', body: JSON.stringify(subscription) }),
    unsubscribe: (endpoint) => send('/push/subscriptions', { method: 'DELETE', body: JSON.stringify({ endpoint }) }),
  };
}
