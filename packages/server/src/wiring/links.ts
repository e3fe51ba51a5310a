import { GroupDms } from '../chat/group-dms.ts';
import { InviteLinks } from '../chat/invite-links.ts';
import type { Moderation } from '../chat/moderation.ts';
import { registerLinkRoutes } from '../transport/link-routes.ts';
import type { HttpSession } from '../transport/session.ts';
import type { WiringBase } from './feature.ts';

/** Invite links (a ban still keeps one out) and group DMs; /rooms/:room/links, /links/:code, /group-dms. */
export function wireLinks(base: WiringBase, parts: { session: HttpSession; moderation: Moderation }): void {
  const { store, fanout, clock, http } = base;
  registerLinkRoutes(http, {
    links: new InviteLinks({ store, clock, moderation: parts.moderation }),
    groupDms: new GroupDms({ store, fanout, clock }),
    session: parts.session,
  });
}
