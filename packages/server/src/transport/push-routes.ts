import type { FastifyInstance } from 'fastify';
import {
  NotificationLevelBody,
  NotificationPreviewBody,
  PushSubscriptionBody,
  PushUnsubscribeBody,
  RoomName,
} from '@pockychat/protocol';
import type { Notifications } from '../chat/notifications.ts';
import { assertPushEndpoint } from '../push/private-address.ts';
import { parse } from './parse.ts';
import type { HttpSession } from './session.ts';

export interface PushRouteDeps {
  notifications: Notifications;
  session: HttpSession;
  publicKey: string;
  allowPrivateEndpoints: boolean;
}

/** /push/* (the VAPID key, subscriptions) and /notifications (levels per room, preview). */
export function registerPushRoutes(app: FastifyInstance, deps: PushRouteDeps): void {
  const { notifications, session } = deps;

  app.get('/push/key', async (request) => {
    await session.require(request);
    return { publicKey: deps.publicKey };
  });

  app.post('/push/subscriptions', async (request, reply) => {
    const user = await session.require(request);
    const body = parse(PushSubscriptionBody, request.body);
    await assertPushEndpoint(body.endpoint, deps.allowPrivateEndpoints);
    await notifications.subscribe(user, body);
    return reply.code(201).send({ endpoint: body.endpoint });
  });

  app.delete('/push/subscriptions', async (request, reply) => {
    const user = await session.require(request);
    await notifications.unsubscribe(user, parse(PushUnsubscribeBody, request.body).endpoint);
    return reply.code(204).send();
  });

  app.get('/notifications', async (request) => notifications.settings(await session.require(request)));

  app.put('/notifications', async (request, reply) => {
    const user = await session.require(request);
    await notifications.setPreview(user, parse(NotificationPreviewBody, request.body).preview);
    return reply.code(204).send();
  });

  app.put('/rooms/:room/notifications', async (request, reply) => {
    const user = await session.require(request);
    const room = parse(RoomName, (request.params as { room?: unknown }).room);
    await notifications.setLevel(user, room, parse(NotificationLevelBody, request.body).level);
    return reply.code(204).send();
  });
}
