import { Moderation } from '../chat/moderation.ts';
import { registerModerationRoutes } from '../transport/moderation-routes.ts';
import type { HttpSession } from '../transport/session.ts';
import type { WiringBase } from './feature.ts';

/** Bans, mutes and moderators (chat and invite links ask it); /rooms/:room/{bans,mutes,...}. */
export function wireModeration(base: WiringBase, session: HttpSession): Moderation {
  const { store, fanout, clock, http } = base;
  const moderation = new Moderation({ bans: store.moderation, store, fanout, clock });
  registerModerationRoutes(http, { moderation, session });
  return moderation;
}
