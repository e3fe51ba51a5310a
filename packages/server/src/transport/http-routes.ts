import type { FastifyInstance } from 'fastify';
import { HistoryQuery, InviteBody, RoomName } from '@pockychat/protocol';
import type { ChatService } from '../chat/chat-service.ts';
import type { Presence } from '../chat/presence.ts';
import type { RoomAdmin } from '../chat/room-admin.ts';
import { parse } from './parse.ts';
import type { HttpSession } from './session.ts';

export interface HttpDeps {
  chat: ChatService;
  rooms: RoomAdmin;
  session: HttpSession;
  /** Members gain their status when the server keeps presence. */
  presence?: Presence | undefined;
}

/** The JSON API beside /auth: history and rooms. Every handler validates at the edge with the shared schemas. */
export function registerHttpRoutes(app: FastifyInstance, deps: HttpDeps): void {
  const { chat, rooms, session, presence } = deps;
  const roomOf = (params: unknown) => parse(RoomName, (params as { room?: unknown }).room);

  app.get('/history', async (request) => {
    const user = await session.require(request);
    const query = parse(HistoryQuery, request.query);
    return { room: query.room, ...(await chat.history(user, query)) };
  });

  app.get('/rooms', async (request) => ({ rooms: await chat.rooms(await session.require(request)) }));

  app.get('/invites', async (request) => ({ invites: await rooms.invites(await session.require(request)) }));

  app.post('/rooms/:room/invites', async (request, reply) => {
    const user = await session.require(request);
    const room = roomOf(request.params);
    const invitee = await rooms.invite(user, room, parse(InviteBody, request.body));
    return reply.code(201).send({ room, invitee });
  });

  app.get('/rooms/:room/members', async (request) => {
    const user = await session.require(request);
    const room = roomOf(request.params);
    const members = await rooms.members(user, room);
    if (!presence) return { room, members };
    return { room, members: members.map((member) => ({ ...member, status: presence.statusOf(member.user.id) })) };
  });

  // A member's own id: leave for good. Another's: the owner removes them.
  app.delete('/rooms/:room/members/:userId', async (request, reply) => {
    const user = await session.require(request);
    const room = roomOf(request.params);
    const { userId } = request.params as { userId: string };
    await rooms.remove(user, room, userId === 'me' ? user.id : userId);
    return reply.code(204).send();
  });
}
