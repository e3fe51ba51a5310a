import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LinkBounds, NewInviteLink } from '../src/chat/model.ts';
import type { Store } from '../src/chat/ports/store.ts';

/**
 * The store contract's rules for invite links (L) and group DMs (G),
 * registered inside runStoreContract's suite (one store per backend). Each
 * rule makes its own users and rooms.
 */
export function linkRules(store: () => Store): void {
  const now = '2026-01-01T00:00:00.000Z';
  const later = '2026-01-02T00:00:00.000Z';
  const guest = (id: string) => store().createUser({ id, name: id, kind: 'guest', createdAt: now });
  const privateRoom = async (name: string, ownerId: string) => {
    await store().ensureRoom({ name, visibility: 'private', ownerId, createdAt: now });
    await store().addMember(name, ownerId, 'owner', now);
  };
  const link = (id: string, room: string, createdBy: string, extra: Partial<NewInviteLink> = {}): NewInviteLink => ({
    id,
    codeHash: `hash-${id}`,
    room,
    createdBy,
    createdAt: now,
    ...extra,
  });
  /** Bounds no rule but L5 and L6 reaches. */
  const make = (l: NewInviteLink, bounds: LinkBounds = { usable: 100, dead: 100 }) =>
    store().createInviteLink(l, bounds);

  test('L1 a link is found by id and by code hash; only usable ones are listed, by maker when asked', async () => {
    const [owner, other] = [await guest('l1o'), await guest('l1x')];
    await privateRoom('l1', owner.id);
    await make(link('l1a', 'l1', owner.id, { maxUses: 3 }));
    await make(link('l1b', 'l1', other.id, { expiresAt: later }));
    await make(link('l1c', 'l1', owner.id, { expiresAt: now }));
    await make(link('l1d', 'l1', owner.id, { maxUses: 1 }));
    await make(link('l1e', 'l1', owner.id));
    assert.equal(await store().revokeInviteLink('l1e', now), true);
    assert.equal(await store().revokeInviteLink('l1-none', now), false);
    assert.equal((await store().redeemInviteLink('hash-l1d', other.id, now)).status, 'joined');

    const found = await store().findInviteLink('l1a');
    assert.deepEqual(found, { id: 'l1a', room: 'l1', createdBy: owner, createdAt: now, maxUses: 3, uses: 0 });
    assert.deepEqual(await store().findInviteLinkByCode('hash-l1a'), found);
    assert.equal(await store().findInviteLinkByCode('hash-none'), undefined);
    assert.equal((await store().findInviteLink('l1e'))?.revokedAt, now);

    const listed = await store().listInviteLinks('l1', '2026-01-01T12:00:00.000Z');
    assert.deepEqual(
      listed.map((l) => l.id),
      ['l1a', 'l1b'],
      'expired (l1c), used up (l1d) and revoked (l1e) are not listed',
    );
    assert.deepEqual(
      (await store().listInviteLinks('l1', now, other.id)).map((l) => l.id),
      ['l1b'],
    );
    assert.deepEqual(await store().listInviteLinks('l1', later), [await store().findInviteLink('l1a')]);
  });

  test('L2 redeeming joins and takes a use; a member takes none; refused links let no one in', async () => {
    const [owner, ann, bob] = [await guest('l2o'), await guest('l2a'), await guest('l2b')];
    await privateRoom('l2', owner.id);
    await make(link('l2-ok', 'l2', owner.id, { maxUses: 2, expiresAt: later }));
    assert.deepEqual(await store().redeemInviteLink('hash-l2-ok', ann.id, now), { status: 'joined', room: 'l2' });
    assert.deepEqual(await store().redeemInviteLink('hash-l2-ok', ann.id, now), { status: 'member', room: 'l2' });
    assert.deepEqual(await store().redeemInviteLink('hash-l2-ok', owner.id, now), { status: 'member', room: 'l2' });
    assert.equal((await store().findInviteLink('l2-ok'))?.uses, 1);
    assert.equal(await store().memberRole('l2', ann.id), 'member');

    assert.deepEqual(await store().redeemInviteLink('hash-l2-ok', bob.id, later), { status: 'expired', room: 'l2' });
    assert.equal(await store().isMember('l2', bob.id), false, 'a refusal leaves no membership');
    await make(link('l2-one', 'l2', owner.id, { maxUses: 1 }));
    await store().redeemInviteLink('hash-l2-one', ann.id, now);
    assert.equal((await store().findInviteLink('l2-one'))?.uses, 0, 'a member took no use');
    await store().revokeInviteLink('l2-one', now);
    assert.deepEqual(await store().redeemInviteLink('hash-l2-one', bob.id, now), { status: 'revoked', room: 'l2' });
    await make(link('l2-used', 'l2', owner.id, { maxUses: 1 }));
    assert.equal((await store().redeemInviteLink('hash-l2-used', (await guest('l2c')).id, now)).status, 'joined');
    assert.deepEqual(await store().redeemInviteLink('hash-l2-used', bob.id, now), { status: 'used_up', room: 'l2' });
    assert.equal(await store().isMember('l2', bob.id), false);
    assert.deepEqual(await store().redeemInviteLink('hash-none', bob.id, now), { status: 'unknown' });
  });

  test('L3 concurrent redemptions of a one-use link: exactly one joins', async () => {
    const owner = await guest('l3o');
    await privateRoom('l3', owner.id);
    await make(link('l3', 'l3', owner.id, { maxUses: 1 }));
    const people = await Promise.all(Array.from({ length: 6 }, (_, i) => guest(`l3p${i}`)));
    const results = await Promise.all(people.map((p) => store().redeemInviteLink('hash-l3', p.id, now)));
    assert.deepEqual(results.map((r) => r.status).sort(), [
      'joined',
      'used_up',
      'used_up',
      'used_up',
      'used_up',
      'used_up',
    ]);
    const members = (await store().listMembers('l3')).map((m) => m.user.id);
    assert.equal(members.length, 2, 'the owner and the one who joined');
    assert.equal((await store().findInviteLink('l3'))?.uses, 1);
  });

  test('L4 the same user redeeming twice at once takes one use', async () => {
    const [owner, ann, bob] = [await guest('l4o'), await guest('l4a'), await guest('l4b')];
    await privateRoom('l4', owner.id);
    await make(link('l4', 'l4', owner.id, { maxUses: 2 }));
    const twice = await Promise.all([1, 2].map(() => store().redeemInviteLink('hash-l4', ann.id, now)));
    assert.deepEqual(twice.map((r) => r.status).sort(), ['joined', 'member']);
    assert.equal((await store().redeemInviteLink('hash-l4', bob.id, now)).status, 'joined', 'a use was left');
  });

  test('L5 a creation refuses past the usable bound, and deletes the room’s dead links but the last made', async () => {
    const [owner, ann] = [await guest('l5o'), await guest('l5a')];
    await privateRoom('l5', owner.id);
    await privateRoom('l5other', owner.id);
    const bounds = { usable: 2, dead: 2 };
    const at = (minute: number) => `2026-01-01T00:${String(minute).padStart(2, '0')}:00.000Z`;
    const madeAt = (id: string, minute: number, extra: Partial<NewInviteLink> = {}) =>
      make(link(id, 'l5', owner.id, { createdAt: at(minute), ...extra }), bounds);

    assert.equal(await madeAt('l5-expiring', 1, { expiresAt: at(5) }), 'created');
    assert.equal(await madeAt('l5-one-use', 2, { maxUses: 1 }), 'created');
    assert.equal(await madeAt('l5-full', 3), 'full', 'two usable: the third is not made');
    assert.equal(await store().findInviteLink('l5-full'), undefined);
    assert.equal(await madeAt('l5-full', 4), 'full', 'a minute before l5-expiring expires');
    assert.equal(await madeAt('l5-at-expiry', 5), 'created', 'l5-expiring is dead from its expiry on');
    assert.equal((await store().redeemInviteLink('hash-l5-one-use', ann.id, at(7))).status, 'joined');
    assert.equal(await madeAt('l5-revoked', 8), 'created', 'used up, l5-one-use makes room');
    await store().revokeInviteLink('l5-revoked', at(9));
    await make(link('l5-elsewhere', 'l5other', owner.id), bounds);
    await store().revokeInviteLink('l5-elsewhere', at(9));
    assert.equal(
      (await store().findInviteLink('l5-expiring'))?.id,
      'l5-expiring',
      'three dead, two kept: nothing goes until a creation',
    );

    assert.equal(await madeAt('l5-last', 10), 'created');
    const ids = ['l5-expiring', 'l5-one-use', 'l5-at-expiry', 'l5-revoked', 'l5-last'];
    const left = await Promise.all(ids.map((id) => store().findInviteLink(id)));
    assert.deepEqual(
      left.map((l) => l?.id),
      [undefined, 'l5-one-use', 'l5-at-expiry', 'l5-revoked', 'l5-last'],
      'of three dead, the one made first went; the usable ones stay',
    );
    assert.equal(await store().findInviteLinkByCode('hash-l5-expiring'), undefined);
    assert.deepEqual(await store().redeemInviteLink('hash-l5-expiring', ann.id, at(10)), { status: 'unknown' });
    const bob = await guest('l5b');
    assert.deepEqual(await store().redeemInviteLink('hash-l5-revoked', bob.id, at(10)), {
      status: 'revoked',
      room: 'l5',
    });
    assert.equal((await store().findInviteLink('l5-elsewhere'))?.revokedAt, at(9), 'another room’s dead link stays');

    assert.equal(
      await make(link('l5-none-kept', 'l5', owner.id, { createdAt: at(11) }), { usable: 9, dead: 0 }),
      'created',
    );
    assert.deepEqual(
      (await store().listInviteLinks('l5', at(11))).map((l) => l.id),
      ['l5-at-expiry', 'l5-last', 'l5-none-kept'],
    );
    assert.equal(await store().findInviteLink('l5-one-use'), undefined, 'dead: 0 keeps none');
    assert.equal(await store().findInviteLink('l5-revoked'), undefined);
  });

  test('L6 concurrent creations at the usable bound: exactly one is made', async () => {
    const owner = await guest('l6o');
    await privateRoom('l6', owner.id);
    const bounds = { usable: 3, dead: 0 };
    await make(link('l6a', 'l6', owner.id), bounds);
    await make(link('l6b', 'l6', owner.id), bounds);
    // Rounds, each after a revocation made room for one: an unlocked count lets several in now and then.
    for (let round = 0; round < 5; round++) {
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, i) => make(link(`l6-${round}-${i}`, 'l6', owner.id), bounds)),
      );
      assert.deepEqual(results.filter((r) => r === 'created').length, 1, `round ${round}`);
      const usable = await store().listInviteLinks('l6', now);
      assert.equal(usable.length, 3);
      await store().revokeInviteLink(usable[0]?.id ?? '', now);
    }
  });

  test('G1 a group DM is private, ownerless, its participants members; the same set gives the same room', async () => {
    const [a, b, c, d] = [await guest('g1a'), await guest('g1b'), await guest('g1c'), await guest('g1d')];
    const first = await store().createGroupDm({ room: 'gdm:g1', participantIds: [b.id, a.id, c.id], createdAt: now });
    assert.deepEqual(first, { room: 'gdm:g1', created: true });
    const room = await store().findRoom('gdm:g1');
    assert.equal(room?.visibility, 'private');
    assert.equal(room?.ownerId, null);
    assert.deepEqual(
      (await store().listMembers('gdm:g1')).map((m) => [m.user.id, m.role]),
      [
        ['g1a', 'member'],
        ['g1b', 'member'],
        ['g1c', 'member'],
      ],
    );
    const again = await store().createGroupDm({ room: 'gdm:g1x', participantIds: [c.id, a.id, b.id], createdAt: now });
    assert.deepEqual(again, { room: 'gdm:g1', created: false });
    assert.equal(await store().findRoom('gdm:g1x'), undefined, 'no second room');
    assert.equal(await store().isGroupDmParticipant('gdm:g1', a.id), true);
    assert.equal(await store().isGroupDmParticipant('gdm:g1', d.id), false);
    assert.equal(await store().isGroupDmParticipant('lobby', a.id), false);
    assert.deepEqual(await store().groupDmParticipants('gdm:g1'), [a, b, c]);
    assert.deepEqual(await store().groupDmParticipants('lobby'), []);

    const four = await store().createGroupDm({
      room: 'gdm:g1y',
      participantIds: [a.id, b.id, c.id, d.id],
      createdAt: now,
    });
    assert.equal(four.created, true, 'another set is another room');
    assert.deepEqual(await store().listGroupDms(d.id), [{ room: 'gdm:g1y', participants: [a, b, c, d] }]);
    assert.deepEqual(
      (await store().listGroupDms(a.id)).map((g) => g.room),
      ['gdm:g1', 'gdm:g1y'],
    );
    await store().removeMember('gdm:g1', a.id);
    assert.equal(await store().isGroupDmParticipant('gdm:g1', a.id), true, 'leaving keeps the seat');
  });

  test('G2 the same set created at once gives one room', async () => {
    const ids = [await guest('g2a'), await guest('g2b'), await guest('g2c')].map((u) => u.id);
    const results = await Promise.all(
      [1, 2, 3, 4].map((i) => store().createGroupDm({ room: `gdm:g2n${i}`, participantIds: ids, createdAt: now })),
    );
    assert.equal(new Set(results.map((r) => r.room)).size, 1);
    assert.equal(results.filter((r) => r.created).length, 1);
    const rooms = await Promise.all([1, 2, 3, 4].map((i) => store().findRoom(`gdm:g2n${i}`)));
    assert.equal(rooms.filter(Boolean).length, 1, 'the others rolled back their rooms');
  });

  test('G3 mergeUsers moves group DM seats and links made; a set another group has loses its key', async () => {
    const [g, acc, b, c] = [await guest('g3g'), await guest('g3acc'), await guest('g3b'), await guest('g3c')];
    await store().createGroupDm({ room: 'gdm:g3guest', participantIds: [g.id, b.id, c.id], createdAt: now });
    await store().createGroupDm({ room: 'gdm:g3acc', participantIds: [acc.id, b.id, c.id], createdAt: now });
    await store().createGroupDm({ room: 'gdm:g3only', participantIds: [g.id, b.id, acc.id], createdAt: now });
    await privateRoom('g3', g.id);
    await make(link('g3', 'g3', g.id));
    await store().mergeUsers(g.id, acc.id);

    assert.equal((await store().findInviteLink('g3'))?.createdBy.id, acc.id);
    assert.deepEqual(await store().groupDmParticipants('gdm:g3guest'), [acc, b, c]);
    assert.deepEqual(await store().groupDmParticipants('gdm:g3only'), [acc, b], 'both were in it: one seat left');
    assert.equal(await store().isMember('gdm:g3guest', acc.id), true);
    const again = await store().createGroupDm({
      room: 'gdm:g3new',
      participantIds: [b.id, acc.id, c.id],
      createdAt: now,
    });
    assert.deepEqual(again, { room: 'gdm:g3acc', created: false }, 'the set answers with the group it had first');
    assert.deepEqual(
      (await store().listGroupDms(acc.id)).map((r) => r.room),
      ['gdm:g3acc', 'gdm:g3guest', 'gdm:g3only'],
    );
  });
}
