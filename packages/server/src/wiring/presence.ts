import { Presence, type PresenceOptions } from '../chat/presence.ts';
import { registerPresenceRoutes } from '../transport/presence-routes.ts';
import type { HttpSession } from '../transport/session.ts';
import type { WiringBase } from './feature.ts';

/** Who is online or away, on every node, when PRESENCE is on; GET /presence (everyone offline when off). */
export function wirePresence(
  base: WiringBase,
  session: HttpSession,
  options: Partial<PresenceOptions> | undefined,
): Presence | undefined {
  const { config, fanout, clock, http } = base;
  const presence = config.presence && new Presence({ fanout, clock, options: { ...config.presence, ...options } });
  registerPresenceRoutes(http, { session, presence });
  return presence;
}
