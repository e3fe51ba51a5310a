import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GroupDms } from '../../src/chat/group-dms.ts';
import { InviteLinks } from '../../src/chat/invite-links.ts';
import { domain } from './domain.ts';

/** Invite links and group DMs on the in-memory store, with a clock that moves only when told. */

function setup() {
  const d = domain();
  return {
    ...d,
    links: new InviteLinks({ store: d.store, clock: d.clock }),
    groups: new GroupDms({ store: d.store, fanout: d.fanout, clock: d.clock }),
  };
}

const refusal = (code: string, message?: RegExp) => (err: unknown) => {
  assert.equal((err as { code?: string }).code, code);
  if (message) assert.match((err as Error).message, message);
  return true;
};

test('a link expires by the clock: valid a minute before, refused from its expiry on', async () => {
  const d = setup();
  const [ann, bob, cat] = [await d.guest('Ann'), await d.guest('Bob'), await d.guest('Cat')];
  await d.join(ann, 'u-expiry');
  const link = await d.links.create(ann, 'u-expiry', { expiresInMinutes: 10 });
  assert.equal(link.expiresAt, '2026-01-01T00:10:00.000Z');
  d.clock.advance(9 * 60_000);
  assert.equal((await d.links.preview(bob, link.code ?? '')).valid, true);
  assert.deepEqual(await d.links.join(bob, link.code ?? ''), { room: 'u-expiry' });
  d.clock.advance(60_000);
  assert.deepEqual(await d.links.preview(cat, link.code ?? ''), {
    room: 'u-expiry',
    visibility: 'private',
    members: 2,
    member: false,
    valid: false,
    reason: 'expired',
  });
  await assert.rejects(d.links.join(cat, link.code ?? ''), refusal('forbidden', /expired/));
  assert.equal(await d.store.isMember('u-expiry', cat.id), false);
});

test('joining by a link spends a pending invite; the code is stored only as a hash', async () => {
  const d = setup();
  const [ann, bob] = [await d.guest('Ann'), await d.guest('Bob')];
  await d.join(ann, 'u-invite');
  await d.admin.invite(ann, 'u-invite', { userId: bob.id });
  const link = await d.links.create(ann, 'u-invite', {});
  assert.equal(await d.store.findInviteLinkByCode(link.code ?? ''), undefined, 'the plain code finds nothing');
  await d.links.join(bob, link.code ?? '');
  assert.deepEqual(await d.admin.invites(bob), []);
  await assert.rejects(d.links.join(bob, 'AAAAAAAAAAAAAAAAAAAAAAAA'), refusal('not_found'));
});

test('a group DM tells the others at once; creating it again tells no one', async () => {
  const d = setup();
  const [ann, bob, cat] = [await d.guest('Ann'), await d.guest('Bob'), await d.guest('Cat')];
  d.fanout.take();
  const group = await d.groups.create(ann, [bob.id, cat.id, ann.id]);
  const told = d.fanout.take().map((delivery) => (delivery.to === 'user' ? delivery.userId : delivery.to));
  assert.deepEqual(told.sort(), [bob.id, cat.id].sort());
  const again = await d.groups.create(cat, [ann.id, bob.id]);
  assert.equal(again.room, group.room);
  assert.deepEqual(d.fanout.take(), []);
  await assert.rejects(d.groups.create(ann, [bob.id, bob.id]), refusal('bad_request'), 'bob twice is one other');
  await assert.rejects(d.join(await d.guest('Dan'), group.room), refusal('forbidden'));
});
