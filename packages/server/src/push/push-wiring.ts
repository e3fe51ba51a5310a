import type { AgentOptions } from 'node:https';
import type { Logger } from 'pino';
import { Notifications } from '../chat/notifications.ts';
import { PushNotifier } from '../chat/push-notifier.ts';
import type { Clock } from '../chat/clock.ts';
import type { Store } from '../chat/ports/store.ts';
import type { TabVisibility } from '../chat/ports/tab-visibility.ts';
import type { Config } from '../config.ts';
import { LocalTabVisibility } from '../transport/realtime/local-tab-visibility.ts';
import { loadVapidKeys } from './vapid-keys.ts';
import { WebPushSender } from './web-push-sender.ts';

export interface PushParts {
  publicKey: string;
  /** This node's visible tabs, kept by Realtime when no cross-node TabVisibility (presence) was given. */
  tabs: LocalTabVisibility | undefined;
  notifier: PushNotifier;
  notifications: Notifications;
  close(): Promise<void>;
}

/** The parts of Web Push, built once for app.ts: keys, sender, notifier, settings, tab visibility. */
export function createPush(deps: {
  config: Config;
  log: Logger;
  store: Store;
  clock: Clock;
  tls?: Pick<AgentOptions, 'ca'>;
  tabs?: TabVisibility;
}): PushParts {
  const { config, log, store, clock } = deps;
  const keys = loadVapidKeys(config.push, config.dataDir);
  const sender = new WebPushSender({
    keys,
    subject: config.push.vapidSubject,
    allowPrivateEndpoints: config.push.allowPrivateEndpoints,
    ...(deps.tls && { tls: deps.tls }),
  });
  let local: LocalTabVisibility | undefined;
  const tabs = deps.tabs ?? (local = new LocalTabVisibility());
  const notifier = new PushNotifier({ store, sender, tabs, log: log.child({ part: 'push' }), now: () => clock.now() });
  return {
    publicKey: keys.publicKey,
    tabs: local,
    notifier,
    notifications: new Notifications({ store, clock, onLevelSet: (room) => notifier.forgetLevels(room) }),
    /** Lets the pushes under way go (a few seconds at most), then closes the sender's sockets. */
    async close(): Promise<void> {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([notifier.idle(), new Promise((resolve) => (timer = setTimeout(resolve, 3000)))]);
      clearTimeout(timer);
      sender.close();
    },
  };
}
