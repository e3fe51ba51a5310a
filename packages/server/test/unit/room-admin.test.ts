import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { dmRoomName } from '@pockychat/protocol';
import type { FrameDelivery } from '../../src/fanout/fanout.ts';
import { domain } from './domain.ts';

/** A removal's delivery carries an id of its own (its outbox row's, with several nodes): checked, then left out. */
function withoutIds(deliveries: FrameDelivery[]): FrameDelivery[] {
  return deliveries.map((delivery) => {
    if (delivery.to === 'room') return delivery;
    const { id, ...rest } = delivery;
    assert.match(id ?? '', /^d:/);
    return rest;
  });
}

describe('RoomAdmin on the memory store', () => {
  test('a member invites a user, who hears of it at once and sees it in their invites', async () => {
    const d = domain();
    const [ann, bob] = [await d.guest('ann'), await d.guest('bob')];
    await d.join(ann, 'shut');
    d.fanout.take();
    assert.deepEqual(await d.admin.invite(ann, 'shut', { userId: bob.id }), { userId: bob.id });
    assert.deepEqual(d.fanout.take(), [
      { to: 'user', userId: bob.id, frame: { type: 'invited', room: 'shut', by: ann } },
    ]);
    assert.deepEqual(await d.admin.invites(bob), [{ room: 'shut', by: ann }]);
  });

  test('a non-member may not invite, nor anyone to a room that does not exist or to a DM', async () => {
    const d = domain();
    const [ann, bob] = [await d.guest('ann'), await d.guest('bob')];
    await d.join(ann, 'shut');
    await assert.rejects(d.admin.invite(bob, 'shut', { userId: bob.id }), { code: 'forbidden' });
    await assert.rejects(d.admin.invite(ann, 'no-such-room', { userId: bob.id }), { code: 'forbidden' });
    const dm = dmRoomName(ann.id, bob.id);
    await d.join(ann, dm);
    await assert.rejects(d.admin.invite(ann, dm, { userId: bob.id }), { code: 'bad_request' });
    await assert.rejects(d.admin.invite(ann, 'shut', { userId: 'nosuchuser' }), { code: 'not_found' });
    assert.deepEqual(await d.admin.invites(bob), []);
  });

  test('inviting a member changes nothing and tells no one', async () => {
    const d = domain();
    const [ann, bob] = [await d.guest('ann'), await d.guest('bob')];
    await d.join(ann, 'open', 'public');
    await d.join(bob, 'open');
    d.fanout.take();
    await d.admin.invite(ann, 'open', { userId: bob.id });
    assert.deepEqual(d.fanout.take(), []);
    assert.equal(await d.store.isInvited('open', bob.id), false);
  });

  test('an invite to an email with an account goes to that user; without one it waits for a sign-up', async () => {
    const d = domain();
    const ann = await d.guest('ann');
    await d.join(ann, 'shut');
    const { user: cat } = await d.accounts.register(
      { name: 'cat', email: 'cat@example.com', password: 'correct horse battery' },
      undefined,
    );
    d.fanout.take();
    assert.deepEqual(await d.admin.invite(ann, 'shut', { email: 'cat@example.com' }), { userId: cat.id });
    assert.equal(d.fanout.take().length, 1);
    assert.deepEqual(await d.admin.invite(ann, 'shut', { facebookId: 'fb-new' }), { facebookId: 'fb-new' });
    assert.deepEqual(d.fanout.take(), [], 'no one to tell yet');
    const { user: dan } = await d.accounts.facebook({ id: 'fb-new', name: 'dan' }, undefined);
    assert.deepEqual(await d.admin.invites(dan), [{ room: 'shut', by: ann }]);
    await d.join(dan, 'shut');
  });

  test('the members list is for readers of the room only', async () => {
    const d = domain();
    const [ann, bob] = [await d.guest('ann'), await d.guest('bob')];
    await d.join(ann, 'shut');
    assert.deepEqual(await d.admin.members(ann, 'shut'), [{ user: ann, role: 'owner' }]);
    await assert.rejects(d.admin.members(bob, 'shut'), { code: 'forbidden' });
  });

  test('a member leaves for good: unsubscribed and told "left"; a private room then stays shut to them', async () => {
    const d = domain();
    const [ann, bob] = [await d.guest('ann'), await d.guest('bob')];
    await d.join(ann, 'shut');
    await d.admin.invite(ann, 'shut', { userId: bob.id });
    await d.join(bob, 'shut');
    d.fanout.take();
    await d.admin.remove(bob, 'shut', bob.id);
    assert.deepEqual(withoutIds(d.fanout.take()), [
      { to: 'user', userId: bob.id, unsubscribe: 'shut', frame: { type: 'left', room: 'shut', reason: 'left' } },
    ]);
    await assert.rejects(d.join(bob, 'shut'), { code: 'forbidden' });
    await assert.rejects(d.admin.remove(bob, 'shut', bob.id), { code: 'forbidden' }, 'no longer a member');
  });

  test('the owner removes a member ("removed", pending invite gone); a member may not remove another', async () => {
    const d = domain();
    const [ann, bob, cy] = [await d.guest('ann'), await d.guest('bob'), await d.guest('cy')];
    await d.join(ann, 'open', 'public');
    await d.join(bob, 'open');
    await d.join(cy, 'open');
    await assert.rejects(d.admin.remove(bob, 'open', cy.id), { code: 'forbidden' });
    await assert.rejects(d.admin.remove(ann, 'open', 'nosuchuser'), { code: 'not_found' });
    d.fanout.take();
    await d.admin.remove(ann, 'open', cy.id);
    assert.deepEqual(withoutIds(d.fanout.take()), [
      { to: 'user', userId: cy.id, unsubscribe: 'open', frame: { type: 'left', room: 'open', reason: 'removed' } },
    ]);
    assert.equal(await d.store.isMember('open', cy.id), false);
    await d.join(ann, 'shut');
    await d.admin.invite(ann, 'shut', { userId: bob.id });
    await d.join(bob, 'shut');
    await d.store.addInvite('shut', { userId: bob.id }, ann.id, new Date(d.clock.now()).toISOString());
    await d.admin.remove(ann, 'shut', bob.id);
    assert.equal(
      await d.store.isInvited('shut', bob.id),
      false,
      'a removed member cannot walk back in on an old invite',
    );
  });
});
