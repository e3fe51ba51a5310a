import type { TabVisibility } from '../chat/ports/tab-visibility.ts';
import { createPush, type PushParts } from '../push/push-wiring.ts';
import { registerPushRoutes } from '../transport/push-routes.ts';
import type { HttpSession } from '../transport/session.ts';
import type { WiringBase } from './feature.ts';

/** Web Push (push-wiring.ts builds its parts) and its routes; close() lets the pushes under way go. */
export function wirePush(
  base: WiringBase,
  parts: {
    session: HttpSession;
    /** Presence knows every node's visible tabs; without it, push falls back to this node's. */
    tabs: TabVisibility | undefined;
    /** TLS settings for the connections to push services (a test's own CA). */
    tls: { ca: string } | undefined;
  },
): PushParts {
  const { config, log, store, clock, http } = base;
  const push = createPush({
    config,
    log,
    store,
    clock,
    ...(parts.tls && { tls: parts.tls }),
    ...(parts.tabs && { tabs: parts.tabs }),
  });
  registerPushRoutes(http, {
    notifications: push.notifications,
    session: parts.session,
    publicKey: push.publicKey,
    allowPrivateEndpoints: config.push.allowPrivateEndpoints,
  });
  return push;
}
