import { ChatService } from '../chat/chat-service.ts';
import type { Moderation } from '../chat/moderation.ts';
import type { Presence } from '../chat/presence.ts';
import type { PushNotifier } from '../chat/push-notifier.ts';
import { RoomAdmin } from '../chat/room-admin.ts';
import { registerHttpRoutes } from '../transport/http-routes.ts';
import type { HttpSession } from '../transport/session.ts';
import type { WiringBase } from './feature.ts';

/** Messages and rooms (realtime and files use the ChatService); /history, /rooms, invites, members. */
export function wireChat(
  base: WiringBase,
  parts: {
    session: HttpSession;
    moderation: Moderation;
    notifier: PushNotifier;
    presence: Presence | undefined;
  },
): ChatService {
  const { config, log, store, fanout, clock, blobs, http } = base;
  const chat = new ChatService({
    moderation: parts.moderation,
    store,
    fanout,
    clock,
    rateLimit: config.rateLimit,
    blobs,
    onBlobLeft: (key, err) => log.warn({ key, err: (err as Error).message }, 'a deleted file’s bytes stayed'),
    onStored: (message) => parts.notifier.notify(message),
  });
  const rooms = new RoomAdmin({ store, fanout, clock });
  registerHttpRoutes(http, { chat, rooms, session: parts.session, presence: parts.presence });
  return chat;
}
