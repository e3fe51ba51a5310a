import type { FastifyInstance } from 'fastify';
import { AuditQuery, BanBody, MuteBody, RoomName } from '@pockychat/protocol';
import type { Moderation } from '../chat/moderation.ts';
import { parse } from './parse.ts';
import type { HttpSession } from './session.ts';

/** A room's bans, mutes, moderators and audit log (docs/protocol.md, "Running a team"). */
export function registerModerationRoutes(
  app: FastifyInstance,
  deps: { moderation: Moderation; session: HttpSession },
): void {
  const { moderation, session } = deps;
  const paramsOf = (params: unknown) => {
    const p = params as { room?: unknown; userId?: string };
    return { room: parse(RoomName, p.room), userId: p.userId ?? '' };
  };

  app.post('/rooms/:room/bans', async (request, reply) => {
    const actor = await session.require(request);
    const { room } = paramsOf(request.params);
    const { userId } = parse(BanBody, request.body);
    await moderation.ban(actor, room, userId);
    return reply.code(201).send({ room, userId });
  });

  app.delete('/rooms/:room/bans/:userId', async (request, reply) => {
    const actor = await session.require(request);
    const { room, userId } = paramsOf(request.params);
    await moderation.unban(actor, room, userId);
    return reply.code(204).send();
  });

  app.post('/rooms/:room/mutes', async (request, reply) => {
    const actor = await session.require(request);
    const { room } = paramsOf(request.params);
    const { userId, minutes } = parse(MuteBody, request.body);
    const until = await moderation.mute(actor, room, userId, minutes);
    return reply.code(201).send({ room, userId, until });
  });

  app.delete('/rooms/:room/mutes/:userId', async (request, reply) => {
    const actor = await session.require(request);
    const { room, userId } = paramsOf(request.params);
    await moderation.unmute(actor, room, userId);
    return reply.code(204).send();
  });

  app.put('/rooms/:room/moderators/:userId', async (request, reply) => {
    const actor = await session.require(request);
    const { room, userId } = paramsOf(request.params);
    await moderation.setModerator(actor, room, userId, true);
    return reply.code(204).send();
  });

  app.delete('/rooms/:room/moderators/:userId', async (request, reply) => {
    const actor = await session.require(request);
    const { room, userId } = paramsOf(request.params);
    await moderation.setModerator(actor, room, userId, false);
    return reply.code(204).send();
  });

  app.get('/rooms/:room/moderation', async (request) => {
    const actor = await session.require(request);
    return moderation.state(actor, paramsOf(request.params).room);
  });

  app.get('/rooms/:room/audit', async (request) => {
    const actor = await session.require(request);
    const { room } = paramsOf(request.params);
    const query = parse(AuditQuery, request.query);
    const page = await moderation.auditLog(actor, room, query.cursor, query.limit);
    return { room, entries: page.rows, ...(page.next && { next: page.next }) };
  });
}
