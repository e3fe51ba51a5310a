import type { FastifyInstance } from 'fastify';
import { CreateLinkBody, GroupDmBody, LinkCode, LinkId, RoomName } from '@pockychat/protocol';
import type { GroupDms } from '../chat/group-dms.ts';
import type { InviteLinks } from '../chat/invite-links.ts';
import { parse } from './parse.ts';
import type { HttpSession } from './session.ts';

export interface LinkRouteDeps {
  links: InviteLinks;
  groupDms: GroupDms;
  session: HttpSession;
}

/** Invite links (/rooms/:room/links, /links/:code) and group DMs (/group-dms); docs/protocol.md. */
export function registerLinkRoutes(app: FastifyInstance, deps: LinkRouteDeps): void {
  const { links, groupDms, session } = deps;
  const param = (params: unknown, name: string) => (params as Record<string, unknown>)[name];

  app.post('/rooms/:room/links', async (request, reply) => {
    const user = await session.require(request);
    const room = parse(RoomName, param(request.params, 'room'));
    const link = await links.create(user, room, parse(CreateLinkBody, request.body ?? {}));
    return reply.code(201).send({ link });
  });

  app.get('/rooms/:room/links', async (request) => {
    const user = await session.require(request);
    const room = parse(RoomName, param(request.params, 'room'));
    return { room, links: await links.list(user, room) };
  });

  app.delete('/rooms/:room/links/:id', async (request, reply) => {
    const user = await session.require(request);
    const room = parse(RoomName, param(request.params, 'room'));
    await links.revoke(user, room, parse(LinkId, param(request.params, 'id')));
    return reply.code(204).send();
  });

  app.get('/links/:code', async (request) => {
    const user = await session.require(request);
    return links.preview(user, parse(LinkCode, param(request.params, 'code')));
  });

  app.post('/links/:code/join', async (request) => {
    const user = await session.require(request);
    return links.join(user, parse(LinkCode, param(request.params, 'code')));
  });

  app.post('/group-dms', async (request, reply) => {
    const user = await session.require(request);
    const body = parse(GroupDmBody, request.body);
    return reply.code(201).send(await groupDms.create(user, body.userIds));
  });

  app.get('/group-dms', async (request) => ({ groupDms: await groupDms.list(await session.require(request)) }));
}
