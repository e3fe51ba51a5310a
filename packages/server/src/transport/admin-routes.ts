import type { FastifyInstance } from 'fastify';
import { AdminRoomsQuery, AdminUsersQuery, SetPasswordBody } from '@pockychat/protocol';
import { assertAdmin, type Admins } from '../chat/admin.ts';
import { parse } from './parse.ts';
import type { HttpSession } from './session.ts';

/** /admin/*: the server's admins run accounts and see rooms (docs/protocol.md, "Running a team"). */
export function registerAdminRoutes(app: FastifyInstance, deps: { admins: Admins; session: HttpSession }): void {
  const { admins, session } = deps;
  const userIdOf = (params: unknown) => (params as { id: string }).id;

  app.get('/admin/users', async (request) => {
    const actor = await session.require(request);
    const query = parse(AdminUsersQuery, request.query);
    const page = await admins.listUsers(actor, query.q, query.cursor, query.limit);
    return { users: page.rows, ...(page.next && { next: page.next }) };
  });

  app.post('/admin/users/:id/deactivate', async (request, reply) => {
    await admins.deactivate(await session.require(request), userIdOf(request.params));
    return reply.code(204).send();
  });

  app.post('/admin/users/:id/reactivate', async (request, reply) => {
    await admins.reactivate(await session.require(request), userIdOf(request.params));
    return reply.code(204).send();
  });

  app.post('/admin/users/:id/password', async (request, reply) => {
    const actor = await session.require(request);
    // The caller's right first: a refusal says nothing of what the body held.
    assertAdmin(actor);
    const { password } = parse(SetPasswordBody, request.body);
    await admins.setPassword(actor, userIdOf(request.params), password);
    return reply.code(204).send();
  });

  app.get('/admin/rooms', async (request) => {
    const actor = await session.require(request);
    const query = parse(AdminRoomsQuery, request.query);
    const page = await admins.listRooms(actor, query.cursor, query.limit);
    return { rooms: page.rows, ...(page.next && { next: page.next }) };
  });
}
