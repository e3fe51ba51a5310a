import type { FastifyInstance } from 'fastify';
import { PresenceQuery, type PresenceAnswer } from '@pockychat/protocol';
import type { Presence } from '../chat/presence.ts';
import { parse } from './parse.ts';
import type { HttpSession } from './session.ts';

/** `GET /presence?ids=a,b,c`: the statuses of up to 100 users (for DMs, whose other side shares no listed room). */
export function registerPresenceRoutes(
  app: FastifyInstance,
  deps: { session: HttpSession; presence: Presence | undefined },
): void {
  const { session, presence } = deps;
  app.get('/presence', async (request): Promise<PresenceAnswer> => {
    await session.require(request);
    const { ids } = parse(PresenceQuery, request.query);
    const answer: PresenceAnswer = { presence: {} };
    for (const id of ids) answer.presence[id] = presence?.statusOf(id) ?? 'offline';
    return answer;
  });
}
