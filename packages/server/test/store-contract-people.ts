import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LIKE_EMOJI, type User } from '@pockychat/protocol';
import type { NewMessage } from '../src/chat/model.ts';
import type { Store } from '../src/chat/ports/store.ts';

/**
 * The store contract's rules for users, tokens, members, invites, merges
 * and files, registered inside runStoreContract's suite (one store per
 * backend). Each rule makes its own users and rooms. Names are plain ASCII
 * of one case: listMembers orders by the database's collation.
 */
export function peopleRules(store: () => Store): void {
  const now = '2026-01-01T00:00:00.000Z';
  const guest = (id: string, name = id) => store().createUser({ id, name, kind: 'guest', createdAt: now });
  const room = (name: string, ownerId: string | null = null) =>
    store().ensureRoom({ name, visibility: 'private', ownerId, createdAt: now });
  let n = 0;
  const message = (roomName: string, author: User, clientId: string): NewMessage => ({
    id: `people-m${++n}`,
    room: roomName,
    author,
    text: `people ${n}`,
    date: now,
    clientId,
    clientDate: undefined,
  });

  test('U1 an email or Facebook id belongs to one user; finding by it gives the password hash', async () => {
    const u = await store().createUser({
      id: 'u1',
      name: 'uone',
      kind: 'email',
      createdAt: now,
      email: 'u1@example.com',
      passwordHash: 'hash-u1',
    });
    await store().createUser({ id: 'u1f', name: 'ufb', kind: 'facebook', createdAt: now, facebookId: 'fb-u1' });
    assert.deepEqual(await store().findUserByEmail('u1@example.com'), { user: u, passwordHash: 'hash-u1' });
    assert.deepEqual(await store().findUserByFacebookId('fb-u1'), { id: 'u1f', name: 'ufb', kind: 'facebook' });
    assert.equal(await store().findUserByEmail('nobody@example.com'), undefined);
    const taken = { name: 'x', kind: 'email' as const, createdAt: now };
    await assert.rejects(store().createUser({ ...taken, id: 'u1b', email: 'u1@example.com' }));
    await assert.rejects(store().createUser({ ...taken, id: 'u1c', facebookId: 'fb-u1' }));
    assert.equal(await store().findUser('u1b'), undefined);
  });

  test('U2 upgradeGuest keeps the id, takes the new name everywhere, refuses a non-guest or a taken email', async () => {
    const g = await guest('u2', 'before');
    await room('u2-room');
    await store().appendMessage(message('u2-room', g, 'u2-c'));
    const change = { kind: 'email' as const, name: 'after', email: 'u2@example.com', passwordHash: 'h' };
    assert.deepEqual(await store().upgradeGuest('u2', change), { id: 'u2', name: 'after', kind: 'email' });
    assert.deepEqual((await store().findUserByEmail('u2@example.com'))?.user, {
      id: 'u2',
      name: 'after',
      kind: 'email',
    });
    const [m] = await store().history('u2-room', { kind: 'since-seq', seq: 0, limit: 10 });
    assert.deepEqual(m?.author, { id: 'u2', name: 'after', kind: 'email' }, 'the author is read as the user is now');
    await assert.rejects(
      store().upgradeGuest('u2', { ...change, email: 'u2b@example.com' }),
      Error,
      'no longer a guest',
    );
    await guest('u2g');
    await assert.rejects(store().upgradeGuest('u2g', change), Error, 'email taken');
    assert.equal((await store().findUser('u2g'))?.kind, 'guest');
  });

  test("U3 deleteTokensOf ends all of one user's tokens and no one else's", async () => {
    await guest('u3a');
    const other = await guest('u3b');
    await store().saveToken('u3-t1', 'u3a', now);
    await store().saveToken('u3-t2', 'u3a', now);
    await store().saveToken('u3-t3', 'u3b', now);
    await store().deleteTokensOf('u3a');
    assert.equal(await store().findUserByToken('u3-t1'), undefined);
    assert.equal(await store().findUserByToken('u3-t2'), undefined);
    assert.deepEqual(await store().findUserByToken('u3-t3'), other);
  });

  test('R1 members: roles, the list by name, removal reports whether there was one', async () => {
    const owner = await guest('r1o', 'oscar');
    const member = await guest('r1m', 'mia');
    await room('r1', owner.id);
    await store().addMember('r1', owner.id, 'owner', now);
    await store().addMember('r1', member.id, 'member', now);
    assert.equal(await store().memberRole('r1', owner.id), 'owner');
    assert.equal(await store().memberRole('r1', 'nobody'), undefined);
    assert.deepEqual(await store().listMembers('r1'), [
      { user: member, role: 'member' },
      { user: owner, role: 'owner' },
    ]);
    assert.equal(await store().removeMember('r1', member.id), true);
    assert.equal(await store().removeMember('r1', member.id), false);
    assert.equal(await store().isMember('r1', member.id), false);
    const listed = (await store().listRooms(owner.id)).find((r) => r.name === 'r1');
    assert.deepEqual(listed, { name: 'r1', visibility: 'private', members: 1, member: true });
    await assert.rejects(store().addMember('no-such-room', owner.id, 'member', now));
  });

  test('R2 invites: twice is once, listed with the inviter in the order made, gone when deleted', async () => {
    const by = await guest('r2by');
    const to = await guest('r2to');
    for (const name of ['r2a', 'r2b']) await room(name, by.id);
    await store().addInvite('r2b', { userId: to.id }, by.id, '2026-01-01T00:00:01.000Z');
    await store().addInvite('r2a', { userId: to.id }, by.id, '2026-01-01T00:00:02.000Z');
    await store().addInvite('r2a', { userId: to.id }, by.id, '2026-01-01T00:00:03.000Z');
    assert.equal(await store().isInvited('r2a', to.id), true);
    assert.equal(await store().isInvited('r2a', by.id), false);
    assert.deepEqual(await store().listInvites(to.id), [
      { room: 'r2b', by },
      { room: 'r2a', by },
    ]);
    await store().deleteInvite('r2b', to.id);
    assert.deepEqual(await store().listInvites(to.id), [{ room: 'r2a', by }]);
  });

  test('R3 invites pending for an email or Facebook id become the new user’s when claimed, once', async () => {
    const by = await guest('r3by');
    for (const name of ['r3a', 'r3b', 'r3c']) await room(name, by.id);
    await store().addInvite('r3a', { email: 'r3@example.com' }, by.id, now);
    await store().addInvite('r3a', { email: 'r3@example.com' }, by.id, now);
    await store().addInvite('r3b', { facebookId: 'fb-r3' }, by.id, now);
    await store().addInvite('r3c', { email: 'someone-else@example.com' }, by.id, now);
    const u = await guest('r3u');
    await store().addInvite('r3b', { userId: u.id }, by.id, now);
    assert.deepEqual(await store().claimInvites(u.id, {}), [], 'no email and no Facebook id claim nothing');
    const rooms = await store().claimInvites(u.id, { email: 'r3@example.com', facebookId: 'fb-r3' });
    assert.deepEqual(rooms.sort(), ['r3a', 'r3b']);
    assert.deepEqual((await store().listInvites(u.id)).map((i) => i.room).sort(), ['r3a', 'r3b']);
    assert.deepEqual(await store().claimInvites(u.id, { email: 'r3@example.com', facebookId: 'fb-r3' }), []);
    assert.equal(await store().isInvited('r3c', u.id), false);
  });

  test('M1 mergeUsers moves memberships, ownership, messages, likes and invites, renames DM rooms, ends the guest', async () => {
    const from = await guest('mg', 'guest');
    const into = await guest('ma', 'account');
    const zed = await guest('zed');
    await room('m1-owned', from.id);
    await store().addMember('m1-owned', from.id, 'owner', now);
    await store().addMember('m1-owned', into.id, 'member', now);
    await room('m1-invited', zed.id);
    await store().addInvite('m1-invited', { userId: from.id }, zed.id, now);
    const dm = 'dm:mg:zed';
    await room(dm);
    for (const id of [from.id, zed.id]) await store().addMember(dm, id, 'member', now);
    const { message: inDm } = await store().appendMessage(message(dm, from, 'same'));
    const { message: own } = await store().appendMessage(message('m1-owned', into, 'same'));
    for (const who of [from, into])
      await store().changeMessage('m1-owned', own.id, { kind: 'react', userId: who.id, emoji: LIKE_EMOJI, on: true });
    await store().saveToken('m1-token', from.id, now);

    await store().mergeUsers(from.id, into.id);

    assert.equal(await store().findUser(from.id), undefined);
    assert.equal(await store().findUserByToken('m1-token'), undefined);
    assert.equal(await store().memberRole('m1-owned', into.id), 'owner', 'the higher role stays');
    assert.equal((await store().findRoom('m1-owned'))?.ownerId, into.id);
    assert.equal(await store().isInvited('m1-invited', into.id), true);
    assert.equal(await store().findRoom(dm), undefined);
    const renamed = 'dm:ma:zed';
    assert.equal(await store().isMember(renamed, into.id), true);
    assert.equal(await store().isMember(renamed, zed.id), true);
    const [moved] = await store().history(renamed, { kind: 'since-seq', seq: 0, limit: 10 });
    assert.equal(moved?.id, inDm.id);
    assert.deepEqual(moved?.author, into);
    assert.equal(
      (await store().findSent(into.id, 'same'))?.message.id,
      own.id,
      "the account's own clientId stays its own",
    );
    assert.equal((await store().findSent(into.id, 'same:mg'))?.message.id, inDm.id, "the guest's gets the guest's id");
    assert.deepEqual((await store().findMessage('m1-owned', own.id))?.likes, [into.id]);
  });

  test('M2 a merge while the DM partner reacts to the guest’s messages: every change applies or finds the room gone, none fails else', async () => {
    for (let round = 0; round < 5; round++) {
      const from = await guest(`m2g${round}`);
      const into = await guest(`m2a${round}`);
      const other = await guest(`m2o${round}`);
      const dm = `dm:${from.id}:${other.id}`;
      await room(dm);
      for (const id of [from.id, other.id]) await store().addMember(dm, id, 'member', now);
      const ids: string[] = [];
      for (let i = 0; i < 20; i++) ids.push((await store().appendMessage(message(dm, from, `m2-${i}`))).message.id);
      const reactions = (async () => {
        for (let k = 0; k < 40; k++) {
          const change = { kind: 'react', userId: other.id, emoji: LIKE_EMOJI, on: k % 2 === 0 } as const;
          // Renamed by the merge: the client rejoins the new room; any other answer is a failure.
          if ((await store().changeMessage(dm, ids[k % ids.length]!, change)).status === 'gone') return;
        }
      })();
      await store().mergeUsers(from.id, into.id);
      await reactions;
      const [first] = await store().history(`dm:${into.id}:${other.id}`, { kind: 'since-seq', seq: 0, limit: 1 });
      assert.deepEqual(first?.author, into);
    }
  });

  test('F1 a file is found by its id with its message’s room and where its bytes are', async () => {
    const u = await guest('f1');
    await room('f1-room');
    const ref = { id: 'f1-file', name: 'a.txt', type: 'text/plain', size: 3, url: '/files/f1-file' };
    const blob = { blobKey: 'k'.repeat(32), sha256: 'ab'.repeat(32), inline: false };
    const { message: m } = await store().appendMessage({ ...message('f1-room', u, 'f1-c'), file: { ref, blob } });
    assert.deepEqual(m.file, ref);
    assert.deepEqual(await store().findFile('f1-file'), { ref, room: 'f1-room', messageId: m.id, ...blob });
    assert.equal(await store().findFile('no-such-file'), undefined);
  });
}
