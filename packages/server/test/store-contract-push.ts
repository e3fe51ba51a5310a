import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dmRoomName } from '@pockychat/protocol';
import type { Store } from '../src/chat/ports/store.ts';

/**
 * The store contract's rules for push subscriptions and notification
 * settings (P*), registered inside runStoreContract's suite.
 */
export function pushRules(store: () => Store): void {
  const now = '2026-01-01T00:00:00.000Z';
  const guest = (id: string) => store().createUser({ id, name: id, kind: 'guest', createdAt: now });
  const subscription = (endpoint: string, userId: string) => ({
    endpoint,
    userId,
    p256dh: `key-${endpoint}`,
    auth: `auth-${endpoint}`,
    createdAt: now,
  });

  test('P1 a subscription is kept by endpoint; the same endpoint saved by another user moves to them', async () => {
    await guest('pa1');
    await guest('pb1');
    const push = store().push;
    await push.savePushSubscription(subscription('https://push.example/p1', 'pa1'));
    await push.savePushSubscription(subscription('https://push.example/p1', 'pa1'));
    assert.deepEqual(await push.pushSubscriptionsOf(['pa1']), [subscription('https://push.example/p1', 'pa1')]);
    await push.savePushSubscription(subscription('https://push.example/p1', 'pb1'));
    assert.deepEqual(await push.pushSubscriptionsOf(['pa1']), []);
    assert.deepEqual(await push.pushSubscriptionsOf(['pa1', 'pb1']), [subscription('https://push.example/p1', 'pb1')]);
    assert.deepEqual(await push.pushSubscriptionsOf([]), []);
  });

  test('P2 a user deletes only their own subscription; a gone one is dropped whoever has it', async () => {
    await guest('pa2');
    await guest('pb2');
    const push = store().push;
    await push.savePushSubscription(subscription('https://push.example/p2', 'pa2'));
    await push.deletePushSubscription('pb2', 'https://push.example/p2');
    assert.equal((await push.pushSubscriptionsOf(['pa2'])).length, 1);
    await push.deletePushSubscription('pa2', 'https://push.example/p2');
    assert.equal((await push.pushSubscriptionsOf(['pa2'])).length, 0);
    await push.savePushSubscription(subscription('https://push.example/p2b', 'pa2'));
    await push.dropPushSubscription('https://push.example/p2b');
    assert.equal((await push.pushSubscriptionsOf(['pa2'])).length, 0);
  });

  test('P3 levels are per user and room, replaced when set again; a room lists those of its members only', async () => {
    await guest('pa3');
    await guest('pb3');
    await store().ensureRoom({ name: 'p3room', visibility: 'private', ownerId: null, createdAt: now });
    await store().addMember('p3room', 'pa3', 'member', now);
    const push = store().push;
    assert.deepEqual(await push.notificationLevels('pa3'), {});
    await push.setNotificationLevel('pa3', 'p3room', 'all');
    await push.setNotificationLevel('pa3', 'p3room', 'mute');
    await push.setNotificationLevel('pb3', 'p3room', 'all');
    assert.deepEqual(await push.notificationLevels('pa3'), { p3room: 'mute' });
    assert.deepEqual([...(await push.roomNotificationLevels('p3room'))], [['pa3', 'mute']]);
  });

  test('P4 preview is on until set off, and back on', async () => {
    await guest('pa4');
    const push = store().push;
    assert.equal(await push.notificationPreview('pa4'), true);
    await push.setNotificationPreview('pa4', false);
    assert.equal(await push.notificationPreview('pa4'), false);
    await push.setNotificationPreview('pa4', true);
    assert.equal(await push.notificationPreview('pa4'), true);
  });

  test('P5 a merge moves subscriptions and settings; the account keeps its own; DM levels follow the rename', async () => {
    const from = await guest('pg5');
    const into = await guest('pi5');
    const other = await guest('po5');
    const dm = dmRoomName(from.id, other.id);
    await store().ensureRoom({ name: dm, visibility: 'private', ownerId: null, createdAt: now });
    await store().addMember(dm, from.id, 'member', now);
    await store().addMember(dm, other.id, 'member', now);
    const push = store().push;
    await push.savePushSubscription(subscription('https://push.example/p5', from.id));
    await push.setNotificationLevel(from.id, dm, 'mute');
    await push.setNotificationLevel(from.id, 'p5room', 'all');
    await push.setNotificationLevel(into.id, 'p5room', 'mentions');
    await push.setNotificationPreview(from.id, false);
    await store().mergeUsers(from.id, into.id);
    assert.deepEqual(await push.pushSubscriptionsOf([into.id]), [subscription('https://push.example/p5', into.id)]);
    assert.deepEqual(await push.notificationLevels(into.id), {
      [dmRoomName(into.id, other.id)]: 'mute',
      p5room: 'mentions',
    });
    assert.equal(await push.notificationPreview(into.id), false);
  });
}
