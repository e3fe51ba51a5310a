import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Store } from '../src/chat/ports/store.ts';

/**
 * The store contract's rules for running a team (0007-team): admins,
 * deactivation, the admin's lists, bans, mutes, moderators and the audit
 * log, registered inside runStoreContract's suite. The suite's store is
 * shared, so each rule makes its own users and rooms, and searches with
 * words only its users have.
 */
export function teamRules(store: () => Store): void {
  const now = '2026-01-01T00:00:00.000Z';
  const guest = (id: string, name = id, createdAt = now) => store().createUser({ id, name, kind: 'guest', createdAt });
  const account = (id: string, email: string, createdAt = now) =>
    store().createUser({ id, name: id, kind: 'email', createdAt, email, passwordHash: `hash-${id}` });
  const room = (name: string, ownerId: string | null = null, visibility: 'public' | 'private' = 'private') =>
    store().ensureRoom({ name, visibility, ownerId, createdAt: now });

  test('T1 the first-admin claim is taken once, even by two at once; the claimant reads as admin, by id and token', async () => {
    await account('t1a', 't1a@example.com');
    await account('t1b', 't1b@example.com');
    const claims = await Promise.all([store().admins.claimFirstAdmin('t1a'), store().admins.claimFirstAdmin('t1b')]);
    assert.equal(claims.filter(Boolean).length, 1, 'exactly one claim wins');
    const winner = claims[0] ? 't1a' : 't1b';
    const loser = claims[0] ? 't1b' : 't1a';
    assert.equal(await store().admins.claimFirstAdmin(loser), false, 'a later claim loses too');
    assert.equal((await store().findUser(winner))?.admin, true);
    assert.equal((await store().findUser(loser))?.admin, undefined, 'a non-admin has no admin field');
    await store().saveToken('t1-token', winner, now);
    assert.deepEqual(await store().findUserByToken('t1-token'), {
      id: winner,
      name: winner,
      kind: 'email',
      admin: true,
    });
    assert.equal((await store().findUserByEmail(`${winner}@example.com`))?.user.admin, true);
  });

  test('T2 grantAdminByEmail makes the listed accounts admins, counting only the new ones', async () => {
    await account('t2a', 't2a@example.com');
    await account('t2b', 't2b@example.com');
    assert.equal(await store().admins.grantAdminByEmail(['t2a@example.com', 'nobody-t2@example.com']), 1);
    assert.equal(await store().admins.grantAdminByEmail(['t2a@example.com']), 0, 'already one');
    assert.equal(await store().admins.grantAdminByEmail([]), 0);
    assert.equal((await store().findUser('t2a'))?.admin, true);
    assert.equal((await store().findUser('t2b'))?.admin, undefined);
  });

  test('T3 a deactivated user’s token finds nobody until reactivated; an unknown user is reported', async () => {
    await guest('t3');
    await store().saveToken('t3-token', 't3', now);
    assert.equal(await store().admins.deactivatedAt('t3'), null);
    assert.equal(await store().admins.setDeactivated('t3', now), true);
    assert.equal(await store().admins.deactivatedAt('t3'), now);
    assert.equal(await store().findUserByToken('t3-token'), undefined);
    assert.ok(await store().findUser('t3'), 'the user itself stays');
    assert.equal(await store().admins.setDeactivated('t3', null), true);
    assert.equal((await store().findUserByToken('t3-token'))?.id, 't3');
    assert.equal(await store().admins.setDeactivated('t3-nobody', now), false);
    assert.equal(await store().admins.deactivatedAt('t3-nobody'), undefined);
  });

  test('T3b deactivate sets the deactivation and deletes the user’s tokens at once, returning their hashes; an unknown user is reported', async () => {
    await guest('t3b');
    await guest('t3b-other');
    await store().saveToken('t3b-1', 't3b', now);
    await store().saveToken('t3b-2', 't3b', now);
    await store().saveToken('t3b-kept', 't3b-other', now);
    const notice = (tokenHash: string) => ({
      to: 'token' as const,
      id: `d:t3b.${tokenHash}`,
      tokenHash,
      frame: { type: 'reconnect' as const, reason: 'signed in' },
    });
    assert.deepEqual((await store().admins.deactivate('t3b', now, notice))?.sort(), ['t3b-1', 't3b-2']);
    assert.equal(await store().admins.deactivatedAt('t3b'), now);
    assert.equal(await store().findUserByToken('t3b-1'), undefined);
    assert.equal(await store().admins.setDeactivated('t3b', null), true);
    assert.equal(await store().findUserByToken('t3b-2'), undefined, 'reactivated, the tokens stay gone');
    assert.equal((await store().findUserByToken('t3b-kept'))?.id, 't3b-other');
    assert.equal(await store().admins.deactivate('t3b-nobody', now, notice), undefined);
  });

  test('T4 setPasswordHash replaces an email account’s hash, and refuses a guest', async () => {
    await account('t4', 't4@example.com');
    await guest('t4g');
    assert.equal(await store().admins.setPasswordHash('t4', 'new-hash'), true);
    assert.equal((await store().findUserByEmail('t4@example.com'))?.passwordHash, 'new-hash');
    assert.equal(await store().admins.setPasswordHash('t4g', 'x'), false);
    assert.equal(await store().admins.setPasswordHash('t4-nobody', 'x'), false);
  });

  test('T5 listUsers finds by part of a name or email, any case, in pages by creation with no row twice', async () => {
    const dates = ['2026-01-02T00:00:00.000Z', '2026-01-03T00:00:00.000Z', '2026-01-03T00:00:00.000Z'];
    await store().createUser({ id: 't5a', name: 'Pagetest Ann', kind: 'guest', createdAt: dates[0] as string });
    await store().createUser({ id: 't5c', name: 'pagetest Cid', kind: 'guest', createdAt: dates[1] as string });
    await store().createUser({ id: 't5b', name: 'PAGETEST Bob', kind: 'guest', createdAt: dates[2] as string });
    await account('t5d', 'pagetest-dee@example.com', '2026-01-04T00:00:00.000Z');
    await store().admins.setDeactivated('t5d', now);
    await store().createUser({ id: 't5e', name: '50%_off', kind: 'guest', createdAt: now });

    const ids: string[] = [];
    let after: string | undefined;
    let pages = 0;
    do {
      const page = await store().admins.listUsers('pagetest', { ...(after && { after }), limit: 2 });
      ids.push(...page.rows.map((r) => r.user.id));
      after = page.next;
      pages++;
    } while (after && pages < 10);
    assert.deepEqual(ids, ['t5a', 't5b', 't5c', 't5d'], 'by creation, then id');
    const all = await store().admins.listUsers('pagetest-dee', { limit: 10 });
    assert.deepEqual(all, {
      rows: [
        {
          user: { id: 't5d', name: 't5d', kind: 'email' },
          email: 'pagetest-dee@example.com',
          createdAt: '2026-01-04T00:00:00.000Z',
          deactivatedAt: now,
        },
      ],
    });
    assert.deepEqual(
      (await store().admins.listUsers('%_', { limit: 10 })).rows.map((r) => r.user.id),
      ['t5e'],
      '% and _ are themselves',
    );
  });

  test('T6 listAllRooms: owner, members, last activity, in pages by name', async () => {
    await guest('t6');
    await room('t6-a', 't6', 'public');
    await room('t6-b');
    await store().addMember('t6-a', 't6', 'owner', now);
    const date = '2026-02-01T00:00:00.000Z';
    const author = { id: 't6', name: 't6', kind: 'guest' as const };
    await store().appendMessage({
      id: 't6-m',
      room: 't6-a',
      author,
      text: 'x',
      date,
      clientId: 't6',
      clientDate: undefined,
    });
    const first = await store().admins.listAllRooms({ after: 't6-', limit: 1 });
    assert.deepEqual(first.rows, [
      { name: 't6-a', visibility: 'public', owner: author, members: 1, lastActivity: date },
    ]);
    assert.equal(first.next, 't6-a');
    const second = await store().admins.listAllRooms({ after: 't6-a', limit: 1 });
    assert.deepEqual(second.rows, [{ name: 't6-b', visibility: 'private', members: 0 }]);
  });

  test('B1 a ban removes the membership and invite, is one however often made, is listed by user, and is lifted once', async () => {
    await guest('b1o');
    await guest('b1u');
    await room('b1-room', 'b1o');
    await store().addMember('b1-room', 'b1u', 'member', now);
    await store().addInvite('b1-room', { userId: 'b1u' }, 'b1o', now);
    await store().moderation.addBan('b1-room', 'b1u', 'b1o', now);
    await store().moderation.addBan('b1-room', 'b1u', 'b1o', '2026-03-01T00:00:00.000Z');
    assert.equal(await store().isMember('b1-room', 'b1u'), false);
    assert.equal(await store().isInvited('b1-room', 'b1u'), false);
    assert.equal(await store().moderation.isBanned('b1-room', 'b1u'), true);
    assert.equal(await store().moderation.isBanned('b1-room', 'b1o'), false);
    await room('b1-other', 'b1o', 'public');
    const listed = async () => (await store().listRooms('b1u')).map((r) => r.name).filter((n) => n === 'b1-other');
    assert.deepEqual(await listed(), ['b1-other']);
    await store().moderation.addBan('b1-other', 'b1u', 'b1o', now);
    assert.deepEqual(await listed(), [], 'a public room the user is banned from is not listed to it');
    assert.deepEqual((await store().moderation.bannedRooms('b1u')).sort(), ['b1-other', 'b1-room']);
    assert.deepEqual(await store().moderation.bannedRooms('b1o'), []);
    assert.equal(await store().moderation.removeBan('b1-other', 'b1u'), true);
    assert.deepEqual(await listed(), ['b1-other']);
    assert.deepEqual(await store().moderation.listBans('b1-room'), [
      { user: { id: 'b1u', name: 'b1u', kind: 'guest' }, at: now },
    ]);
    assert.equal(await store().moderation.removeBan('b1-room', 'b1u'), true);
    assert.equal(await store().moderation.removeBan('b1-room', 'b1u'), false);
    assert.equal(await store().moderation.isBanned('b1-room', 'b1u'), false);
  });

  test('B2 mutes: listed while they last, replaced by a new one, lifted once', async () => {
    await guest('b2o');
    await guest('b2u');
    await room('b2-room', 'b2o');
    await store().moderation.setMute('b2-room', 'b2u', '2026-01-01T00:10:00.000Z', 'b2o');
    const user = { id: 'b2u', name: 'b2u', kind: 'guest' };
    assert.deepEqual(await store().moderation.listMutes('b2-room', now), [{ user, until: '2026-01-01T00:10:00.000Z' }]);
    assert.deepEqual(await store().moderation.listMutes('b2-room', '2026-01-01T00:10:00.000Z'), [], 'ended');
    await store().moderation.setMute('b2-room', 'b2u', '2026-01-02T00:00:00.000Z', 'b2o');
    assert.deepEqual(await store().moderation.listMutes('b2-room', now), [{ user, until: '2026-01-02T00:00:00.000Z' }]);
    assert.equal(await store().moderation.removeMute('b2-room', 'b2u'), true);
    assert.equal(await store().moderation.removeMute('b2-room', 'b2u'), false);
    assert.deepEqual(await store().moderation.listMutes('b2-room', now), []);
  });

  test('B2b listSilenced: the mutes still running and the bans (until null), in one read', async () => {
    await guest('b2bo');
    await guest('b2bm');
    await guest('b2bb');
    await guest('b2be');
    await room('b2b-room', 'b2bo');
    await room('b2b-elsewhere', 'b2bo');
    await store().moderation.setMute('b2b-room', 'b2bm', '2026-01-01T00:10:00.000Z', 'b2bo');
    await store().moderation.setMute('b2b-room', 'b2be', now, 'b2bo');
    await store().moderation.addBan('b2b-room', 'b2bb', 'b2bo', now);
    await store().moderation.addBan('b2b-elsewhere', 'b2bm', 'b2bo', now);
    const silenced = await store().moderation.listSilenced('b2b-room', now);
    assert.deepEqual(
      silenced.sort((a, b) => (a.userId < b.userId ? -1 : 1)),
      [
        { userId: 'b2bb', until: null },
        { userId: 'b2bm', until: '2026-01-01T00:10:00.000Z' },
      ],
      'an ended mute and another room’s ban are not listed',
    );
  });

  test('B3 a member becomes a moderator and back; the owner and non-members do not', async () => {
    await guest('b3o');
    await guest('b3m');
    await guest('b3x');
    await room('b3-room', 'b3o');
    await store().addMember('b3-room', 'b3o', 'owner', now);
    await store().addMember('b3-room', 'b3m', 'member', now);
    assert.equal(await store().moderation.setModerator('b3-room', 'b3m', true), true);
    assert.equal(await store().memberRole('b3-room', 'b3m'), 'moderator');
    assert.ok((await store().listMembers('b3-room')).some((m) => m.user.id === 'b3m' && m.role === 'moderator'));
    assert.equal(await store().moderation.setModerator('b3-room', 'b3m', false), true);
    assert.equal(await store().memberRole('b3-room', 'b3m'), 'member');
    assert.equal(await store().moderation.setModerator('b3-room', 'b3o', true), false, 'the owner stays owner');
    assert.equal(await store().memberRole('b3-room', 'b3o'), 'owner');
    assert.equal(await store().moderation.setModerator('b3-room', 'b3x', true), false, 'not a member');
  });

  test('B4 the audit log: a room’s entries newest first, in pages, with actor, target, message and detail', async () => {
    await guest('b4o');
    await guest('b4u');
    await room('b4-room', 'b4o');
    await room('b4-other', 'b4o');
    const entry = (id: string, roomName = 'b4-room') =>
      store().moderation.appendAudit({
        id,
        room: roomName,
        at: now,
        actorId: 'b4o',
        action: 'ban',
        targetUserId: 'b4u',
      });
    await entry('b4-1');
    await store().moderation.appendAudit({
      id: 'b4-2',
      room: 'b4-room',
      at: now,
      actorId: 'b4o',
      action: 'message_deleted',
      targetUserId: 'b4u',
      messageId: 'b4-m',
      detail: 'spam',
    });
    await entry('b4-3');
    await entry('b4-4', 'b4-other');
    const first = await store().moderation.listAudit('b4-room', { limit: 2 });
    assert.deepEqual(
      first.rows.map((r) => r.id),
      ['b4-3', 'b4-2'],
    );
    assert.deepEqual(first.rows[1], {
      id: 'b4-2',
      at: now,
      actor: { id: 'b4o', name: 'b4o', kind: 'guest' },
      action: 'message_deleted',
      target: { id: 'b4u', name: 'b4u', kind: 'guest' },
      messageId: 'b4-m',
      detail: 'spam',
    });
    assert.equal(first.next, 'b4-2');
    const second = await store().moderation.listAudit('b4-room', { after: 'b4-2', limit: 2 });
    assert.deepEqual(
      second.rows.map((r) => r.id),
      ['b4-1'],
    );
    assert.equal(second.next, undefined);
  });

  test('B5 a guest merged into an account: its bans (which end the account’s membership), mutes and moderator roles become the account’s, the audit log names the account', async () => {
    await guest('b5o');
    await guest('b5g');
    await account('b5a', 'b5a@example.com');
    await room('b5-room', 'b5o');
    await store().addMember('b5-room', 'b5a', 'member', now);
    await store().moderation.addBan('b5-room', 'b5g', 'b5o', now);
    await store().moderation.setMute('b5-room', 'b5g', '2026-06-01T00:00:00.000Z', 'b5o');
    await store().moderation.appendAudit({
      id: 'b5-1',
      room: 'b5-room',
      at: now,
      actorId: 'b5o',
      action: 'ban',
      targetUserId: 'b5g',
    });
    await room('b5-modded', 'b5o');
    await store().addMember('b5-modded', 'b5g', 'moderator', now);
    await store().addMember('b5-modded', 'b5a', 'member', now);
    await store().mergeUsers('b5g', 'b5a');
    assert.equal(await store().memberRole('b5-modded', 'b5a'), 'moderator', 'the higher role stays');
    assert.equal(await store().moderation.isBanned('b5-room', 'b5a'), true);
    assert.equal(await store().isMember('b5-room', 'b5a'), false, 'banned, the account is no member either');
    assert.deepEqual(
      (await store().moderation.listMutes('b5-room', now)).map((m) => m.user.id),
      ['b5a'],
    );
    assert.equal((await store().moderation.listAudit('b5-room', { limit: 5 })).rows[0]?.target?.id, 'b5a');
    assert.equal(await store().findUser('b5g'), undefined);
  });
}
