import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { dmRoomName, type AuthAnswer } from '@pockychat/protocol';
import { register, uniqueEmail } from './helpers/accounts.ts';
import { ChatClient, api, guest } from './helpers/clients.ts';
import { startTestServer, type TestServer } from './helpers/test-server.ts';
import { waitFor } from './helpers/wait-for.ts';

/**
 * Every permission rule, each as a case that is allowed and one
 * that is refused. The server limits guest sign-ins per address (20 a
 * minute), so each group of rules gets its own server.
 */

type Person = AuthAnswer & { socket: ChatClient };

async function person(url: string, name: string): Promise<Person> {
  const answer = await guest(url, name);
  return { ...answer, socket: await ChatClient.connect(url, answer.token) };
}

function closeAll(...people: Person[]): void {
  for (const p of people) p.socket.close();
}

function invite(url: string, token: string, room: string, body: unknown) {
  return api(url, token, `/rooms/${encodeURIComponent(room)}/invites`, { method: 'POST', body: JSON.stringify(body) });
}

function removeMember(url: string, token: string, room: string, userId: string) {
  return api(url, token, `/rooms/${encodeURIComponent(room)}/members/${userId}`, { method: 'DELETE' });
}

/** The error frame answering a request whose ref is `ref`. */
function refusal(client: ChatClient, ref: string) {
  return client.next('error', (f) => f.ref === ref);
}

/** Sends and waits for the ack: the message is stored and broadcast. */
async function say(client: ChatClient, room: string, clientId: string, text = clientId) {
  client.send({ type: 'send', room, clientId, text });
  return (await client.next('ack', (f) => f.clientId === clientId)).message;
}

describe('permissions: joining rooms', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  test('a public room: anyone may join (and becomes a member)', async () => {
    const ann = await person(server.url, 'Ann');
    const bob = await person(server.url, 'Bob');
    await ann.socket.join('join-public', 'public');
    assert.equal(await bob.socket.join('join-public'), 0);
    const members = await api(server.url, ann.token, '/rooms/join-public/members');
    assert.deepEqual(
      members.body.members.map((m: any) => [m.user.id, m.role]).sort(),
      [
        [ann.user.id, 'owner'],
        [bob.user.id, 'member'],
      ].sort(),
    );
    closeAll(ann, bob);
  });

  test('a private room: its members may join again; anyone else gets forbidden', async () => {
    const ann = await person(server.url, 'Ann');
    const bob = await person(server.url, 'Bob');
    await ann.socket.join('join-private');
    bob.socket.send({ type: 'join', room: 'join-private' });
    assert.equal((await refusal(bob.socket, 'join-private')).code, 'forbidden');
    // A new room is private unless asked otherwise, and the join said nothing of visibility.
    bob.socket.send({ type: 'join', room: 'join-private', visibility: 'public' });
    await waitFor(() => bob.socket.of('error').length === 2);
    assert.equal(bob.socket.of('error')[1]?.code, 'forbidden');
    const again = await ChatClient.connect(server.url, ann.token);
    assert.equal(await again.join('join-private'), 0);
    again.close();
    closeAll(ann, bob);
  });

  test('an invited user may join a private room and becomes a member; the invite is then spent', async () => {
    const ann = await person(server.url, 'Ann');
    const ivy = await person(server.url, 'Ivy');
    await ann.socket.join('join-invited');
    assert.equal((await invite(server.url, ann.token, 'join-invited', { userId: ivy.user.id })).status, 201);
    assert.equal(await ivy.socket.join('join-invited'), 0);
    const members = await api(server.url, ivy.token, '/rooms/join-invited/members');
    assert.equal(members.status, 200);
    assert.ok(members.body.members.some((m: any) => m.user.id === ivy.user.id && m.role === 'member'));
    // Leaving for good spends the membership; the invite does not come back.
    assert.equal((await removeMember(server.url, ivy.token, 'join-invited', 'me')).status, 204);
    assert.equal(await ivy.socket.joinAnswer('join-invited'), 'forbidden');
    closeAll(ann, ivy);
  });

  test('a DM room: its two users may join; a third is forbidden; ids out of order are a bad request', async () => {
    const ann = await person(server.url, 'Ann');
    const bob = await person(server.url, 'Bob');
    const eve = await person(server.url, 'Eve');
    const dm = dmRoomName(ann.user.id, bob.user.id);
    await ann.socket.join(dm);
    assert.equal(await bob.socket.join(dm), 0);
    const message = await say(ann.socket, dm, 'dm-1', 'just us');
    assert.equal((await bob.socket.next('message')).message.id, message.id);

    eve.socket.send({ type: 'join', room: dm });
    assert.equal((await refusal(eve.socket, dm)).code, 'forbidden');
    const [first, second] = dm.slice(3).split(':') as [string, string];
    const reversed = `dm:${second}:${first}`;
    ann.socket.send({ type: 'join', room: reversed });
    assert.equal((await refusal(ann.socket, reversed)).code, 'bad_request');
    // A DM with oneself names one id twice: not in order either.
    const self = `dm:${ann.user.id}:${ann.user.id}`;
    ann.socket.send({ type: 'join', room: self });
    assert.equal((await refusal(ann.socket, self)).code, 'bad_request');
    // A DM with a user that does not exist is not created.
    const ghost = dmRoomName(ann.user.id, 'zzzzzzzzzzzzzzzzzzzz');
    ann.socket.send({ type: 'join', room: ghost });
    assert.equal((await refusal(ann.socket, ghost)).code, 'not_found');

    // Reading, liking and sending in the DM are refused to the third user.
    const history = await api(server.url, eve.token, `/history?room=${encodeURIComponent(dm)}`);
    assert.equal(history.status, 403);
    eve.socket.send({ type: 'like', room: dm, messageId: message.id });
    assert.equal((await refusal(eve.socket, dm)).code, 'forbidden');
    eve.socket.send({ type: 'send', room: dm, clientId: 'eve-dm', text: 'let me in' });
    assert.equal((await refusal(eve.socket, 'eve-dm')).code, 'forbidden');
    const members = await api(server.url, eve.token, `/rooms/${encodeURIComponent(dm)}/members`);
    assert.equal(members.status, 403);
    closeAll(ann, bob, eve);
  });

  test('a DM user who left for good may still join the DM again (only those two, but always those two)', async () => {
    const ann = await person(server.url, 'Ann');
    const bob = await person(server.url, 'Bob');
    const dm = dmRoomName(ann.user.id, bob.user.id);
    await ann.socket.join(dm);
    assert.equal((await removeMember(server.url, bob.token, dm, 'me')).status, 204);
    assert.equal(await bob.socket.join(dm), 0);
    closeAll(ann, bob);
  });
});

describe('permissions: sending, liking, reading history', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  test('sending needs the connection to have joined the room', async () => {
    const ann = await person(server.url, 'Ann');
    await ann.socket.join('send-room', 'public');
    const other = await ChatClient.connect(server.url, ann.token);
    other.send({ type: 'send', room: 'send-room', clientId: 'not-joined', text: 'x' });
    assert.equal((await refusal(other, 'not-joined')).code, 'forbidden');
    const message = await say(ann.socket, 'send-room', 'joined');
    assert.equal(message.seq, 1);
    other.close();
    closeAll(ann);
  });

  test('like and unlike: members of a private room may; others are forbidden; anyone in a public room', async () => {
    const ann = await person(server.url, 'Ann');
    const bob = await person(server.url, 'Bob');
    const eve = await person(server.url, 'Eve');
    await ann.socket.join('like-private');
    await invite(server.url, ann.token, 'like-private', { userId: bob.user.id });
    await bob.socket.join('like-private');
    const message = await say(ann.socket, 'like-private', 'like-me');

    bob.socket.send({ type: 'like', room: 'like-private', messageId: message.id });
    assert.deepEqual((await ann.socket.next('likes')).likes, [bob.user.id]);
    for (const type of ['like', 'unlike'] as const) {
      eve.socket.send({ type, room: 'like-private', messageId: message.id });
      await waitFor(() => eve.socket.of('error').length === (type === 'like' ? 1 : 2));
      assert.equal(eve.socket.of('error').at(-1)?.code, 'forbidden');
    }
    bob.socket.send({ type: 'unlike', room: 'like-private', messageId: message.id });
    await waitFor(() => ann.socket.of('likes').length === 2);
    assert.deepEqual(ann.socket.of('likes')[1]?.likes, []);

    // Liking a message through another room's name finds nothing.
    await eve.socket.join('like-public', 'public');
    eve.socket.send({ type: 'like', room: 'like-public', messageId: message.id });
    assert.equal((await refusal(eve.socket, 'like-public')).code, 'not_found');
    const open = await say(eve.socket, 'like-public', 'open-like');
    ann.socket.send({ type: 'like', room: 'like-public', messageId: open.id });
    assert.deepEqual((await eve.socket.next('likes')).likes, [ann.user.id]);
    closeAll(ann, bob, eve);
  });

  test('history: members of a private room 200; others 403, the same answer as for a room that does not exist', async () => {
    const ann = await person(server.url, 'Ann');
    const eve = await person(server.url, 'Eve');
    await ann.socket.join('history-private');
    await say(ann.socket, 'history-private', 'h1', 'secret words');
    const member = await api(server.url, ann.token, '/history?room=history-private');
    assert.equal(member.status, 200);
    assert.equal(member.body.messages[0].text, 'secret words');

    const denied = await api(server.url, eve.token, '/history?room=history-private');
    const missing = await api(server.url, eve.token, '/history?room=no-such-room-anywhere');
    assert.equal(denied.status, 403);
    assert.equal(missing.status, 403);
    assert.equal(denied.body.error.code, 'forbidden');
    const withoutName = (body: any, room: string) => body.error.message.replace(room, '<room>');
    assert.equal(withoutName(denied.body, 'history-private'), withoutName(missing.body, 'no-such-room-anywhere'));

    await ann.socket.join('history-public', 'public');
    await say(ann.socket, 'history-public', 'h2');
    assert.equal((await api(server.url, eve.token, '/history?room=history-public')).status, 200);
    closeAll(ann, eve);
  });
});

describe('permissions: invites', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  test('a member may invite (201); a non-member may not (403), nor to a room that does not exist', async () => {
    const ann = await person(server.url, 'Ann');
    const bob = await person(server.url, 'Bob');
    const eve = await person(server.url, 'Eve');
    await ann.socket.join('invite-room');
    const ok = await invite(server.url, ann.token, 'invite-room', { userId: bob.user.id });
    assert.equal(ok.status, 201);
    assert.deepEqual(ok.body, { room: 'invite-room', invitee: { userId: bob.user.id } });

    const denied = await invite(server.url, eve.token, 'invite-room', { userId: eve.user.id });
    assert.equal(denied.status, 403);
    assert.equal(denied.body.error.code, 'forbidden');
    await assert.rejects(eve.socket.join('invite-room'), /forbidden/, 'a refused self-invite lets no one in');
    const nowhere = await invite(server.url, ann.token, 'invite-nowhere', { userId: bob.user.id });
    assert.equal(nowhere.status, 403);
    // Once Bob is a member he may invite in turn.
    await bob.socket.join('invite-room');
    assert.equal((await invite(server.url, bob.token, 'invite-room', { userId: eve.user.id })).status, 201);
    assert.equal(await eve.socket.joinAnswer('invite-room'), 'joined');
    closeAll(ann, bob, eve);
  });

  test('an invite to a DM room is a bad request; an unknown user id is not found; a bad body is a bad request', async () => {
    const ann = await person(server.url, 'Ann');
    const bob = await person(server.url, 'Bob');
    const dm = dmRoomName(ann.user.id, bob.user.id);
    await ann.socket.join(dm);
    const toDm = await invite(server.url, ann.token, dm, { userId: bob.user.id });
    assert.equal(toDm.status, 400);
    assert.equal(toDm.body.error.code, 'bad_request');

    await ann.socket.join('invite-checks');
    const unknown = await invite(server.url, ann.token, 'invite-checks', { userId: 'nosuchuser0000000000' });
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.error.code, 'not_found');
    for (const body of [
      {},
      { userId: bob.user.id, email: 'bob@example.test' },
      { email: 'not an email' },
      { facebookId: 'has spaces' },
      { userId: 42 },
    ]) {
      const bad = await invite(server.url, ann.token, 'invite-checks', body);
      assert.equal(bad.status, 400, JSON.stringify(body));
      assert.equal(bad.body.error.code, 'bad_request');
    }
    closeAll(ann, bob);
  });

  test('the invited frame reaches every open connection of the invitee, and no one else', async () => {
    const ann = await person(server.url, 'Ann');
    const ivy = await person(server.url, 'Ivy');
    const ivyPhone = await ChatClient.connect(server.url, ivy.token);
    await ann.socket.join('invite-frame');
    assert.equal((await invite(server.url, ann.token, 'invite-frame', { userId: ivy.user.id })).status, 201);
    for (const socket of [ivy.socket, ivyPhone]) {
      assert.deepEqual(await socket.next('invited'), { type: 'invited', room: 'invite-frame', by: ann.user });
    }
    assert.equal(ann.socket.of('invited').length, 0);
    ivyPhone.close();
    closeAll(ann, ivy);
  });

  test('an invite to an email without an account waits, and is claimed when that email registers', async () => {
    const ann = await person(server.url, 'Ann');
    await ann.socket.join('invite-email');
    const email = uniqueEmail('later');
    const pending = await invite(server.url, ann.token, 'invite-email', { email });
    assert.equal(pending.status, 201);
    assert.deepEqual(pending.body.invitee, { email });
    // Someone else registering does not get it.
    const other = await register(server.url, { email: uniqueEmail('other'), name: 'Other' });
    const otherSocket = await ChatClient.connect(server.url, other.token);
    await assert.rejects(otherSocket.join('invite-email'), /forbidden/);

    const invitee = await register(server.url, { email, name: 'Later' });
    const socket = await ChatClient.connect(server.url, invitee.token);
    assert.equal(await socket.join('invite-email'), 0);
    // An invite to an email that has an account goes to that user at once.
    const direct = await invite(server.url, ann.token, 'invite-email', { email: uniqueEmail('none') });
    assert.equal(direct.status, 201);
    const known = await invite(server.url, ann.token, 'invite-email', { email: email.toUpperCase() });
    assert.deepEqual(known.body.invitee, { userId: invitee.user.id });
    socket.close();
    otherSocket.close();
    closeAll(ann);
  });
});

describe('permissions: members, leaving for good, removal', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  test('the members list: readers of the room only', async () => {
    const ann = await person(server.url, 'Ann');
    const eve = await person(server.url, 'Eve');
    await ann.socket.join('members-private');
    const list = await api(server.url, ann.token, '/rooms/members-private/members');
    assert.equal(list.status, 200);
    assert.equal(list.body.room, 'members-private');
    assert.deepEqual(
      list.body.members.map(({ user, role }: any) => ({ user, role })),
      [{ user: ann.user, role: 'owner' }],
      'presence (status) aside',
    );
    const denied = await api(server.url, eve.token, '/rooms/members-private/members');
    assert.equal(denied.status, 403);
    assert.equal(denied.body.error.code, 'forbidden');
    assert.equal((await api(server.url, eve.token, '/rooms/members-nowhere/members')).status, 403);
    await ann.socket.join('members-public', 'public');
    assert.equal((await api(server.url, eve.token, '/rooms/members-public/members')).status, 200);
    closeAll(ann, eve);
  });

  test('leaving for good, by `me` or by one’s own id: no longer a member, and a private room stays shut', async () => {
    const ann = await person(server.url, 'Ann');
    const bob = await person(server.url, 'Bob');
    const cat = await person(server.url, 'Cat');
    await ann.socket.join('leave-good');
    for (const p of [bob, cat]) {
      await invite(server.url, ann.token, 'leave-good', { userId: p.user.id });
      await p.socket.join('leave-good');
    }
    assert.equal((await removeMember(server.url, bob.token, 'leave-good', 'me')).status, 204);
    assert.equal((await removeMember(server.url, cat.token, 'leave-good', cat.user.id)).status, 204);
    const members = await api(server.url, ann.token, '/rooms/leave-good/members');
    assert.deepEqual(
      members.body.members.map((m: any) => m.user.id),
      [ann.user.id],
    );
    for (const p of [bob, cat]) {
      await p.socket.next('left', (f) => f.room === 'leave-good');
      p.socket.send({ type: 'send', room: 'leave-good', clientId: `${p.user.name}-after`, text: 'x' });
      assert.equal((await refusal(p.socket, `${p.user.name}-after`)).code, 'forbidden');
      const rejoin = await ChatClient.connect(server.url, p.token);
      await assert.rejects(rejoin.join('leave-good'), /forbidden/);
      rejoin.close();
      assert.equal((await api(server.url, p.token, '/history?room=leave-good')).status, 403);
    }
    // Leaving a room one is not in: there is nothing to leave.
    assert.equal((await removeMember(server.url, bob.token, 'leave-good', 'me')).status, 403);
    closeAll(ann, bob, cat);
  });

  test('the owner removes a member: every connection of theirs gets left{removed}, then nothing of the room', async () => {
    const ann = await person(server.url, 'Ann');
    const bob = await person(server.url, 'Bob');
    const bobPhone = await ChatClient.connect(server.url, bob.token);
    await ann.socket.join('remove-room');
    await invite(server.url, ann.token, 'remove-room', { userId: bob.user.id });
    await bob.socket.join('remove-room');
    await bobPhone.join('remove-room');
    await say(ann.socket, 'remove-room', 'before');
    await waitFor(() => bob.socket.of('message').length === 1 && bobPhone.of('message').length === 1);

    const removed = await removeMember(server.url, ann.token, 'remove-room', bob.user.id);
    assert.equal(removed.status, 204);
    for (const socket of [bob.socket, bobPhone]) {
      const left = await socket.next('left', (f) => f.room === 'remove-room', 1000);
      assert.deepEqual(left, { type: 'left', room: 'remove-room', reason: 'removed' });
    }
    await say(ann.socket, 'remove-room', 'after');
    // A message Bob would see after the removal would arrive before this one, in the lobby, sent after it.
    await ann.socket.join('lobby');
    await bob.socket.join('lobby');
    await say(ann.socket, 'lobby', 'marker');
    await bob.socket.next('message', (f) => f.message.room === 'lobby');
    assert.deepEqual(
      bob.socket.of('message').map((f) => f.message.text),
      ['before', 'marker'],
    );
    assert.equal(bobPhone.of('message').length, 1);

    bob.socket.send({ type: 'send', room: 'remove-room', clientId: 'bob-after', text: 'hello?' });
    assert.equal((await refusal(bob.socket, 'bob-after')).code, 'forbidden');
    assert.equal(await bob.socket.joinAnswer('remove-room'), 'forbidden');
    assert.equal((await api(server.url, bob.token, '/history?room=remove-room')).status, 403);
    assert.equal((await removeMember(server.url, ann.token, 'remove-room', bob.user.id)).status, 404);
    bobPhone.close();
    closeAll(ann, bob);
  });

  test('only the owner may remove another member; a non-member may remove no one', async () => {
    const ann = await person(server.url, 'Ann');
    const bob = await person(server.url, 'Bob');
    const cat = await person(server.url, 'Cat');
    await ann.socket.join('remove-rules', 'public');
    await bob.socket.join('remove-rules');
    const byMember = await removeMember(server.url, bob.token, 'remove-rules', ann.user.id);
    assert.equal(byMember.status, 403);
    assert.equal(byMember.body.error.code, 'forbidden');
    const byStranger = await removeMember(server.url, cat.token, 'remove-rules', bob.user.id);
    assert.equal(byStranger.status, 403);
    const members = await api(server.url, ann.token, '/rooms/remove-rules/members');
    assert.equal(members.body.members.length, 2, 'nobody was removed');
    assert.equal(bob.socket.of('left').length, 0);
    closeAll(ann, bob, cat);
  });
});

describe('permissions: room listing and cross-site requests', () => {
  const allowed = 'http://app.example.test';
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ env: { ALLOWED_ORIGINS: allowed } });
  });
  after(() => server.close());

  test('GET /rooms lists public rooms and the caller’s own, never a private room to a non-member', async () => {
    const ann = await person(server.url, 'Ann');
    const bob = await person(server.url, 'Bob');
    const eve = await person(server.url, 'Eve');
    await ann.socket.join('listed-private');
    await ann.socket.join('listed-public', 'public');
    await invite(server.url, ann.token, 'listed-private', { userId: bob.user.id });
    const dm = dmRoomName(ann.user.id, bob.user.id);
    await ann.socket.join(dm);

    const names = async (token: string) =>
      (await api(server.url, token, '/rooms')).body.rooms.map((r: { name: string }) => r.name) as string[];
    const forEve = await names(eve.token);
    assert.ok(forEve.includes('lobby') && forEve.includes('listed-public'));
    assert.ok(!forEve.includes('listed-private') && !forEve.includes(dm));
    const forBob = await names(bob.token);
    assert.ok(!forBob.includes('listed-private'), 'an invite alone does not list the room');
    assert.ok(forBob.includes(dm));
    await bob.socket.join('listed-private');
    assert.ok((await names(bob.token)).includes('listed-private'));

    const rooms = (await api(server.url, ann.token, '/rooms')).body.rooms;
    assert.deepEqual(
      rooms.find((r: { name: string }) => r.name === 'listed-private'),
      {
        name: 'listed-private',
        visibility: 'private',
        members: 2,
        member: true,
        readSeq: 0,
        unread: 0,
        mentions: 0,
        lastSeq: 0,
      },
    );
    closeAll(ann, bob, eve);
  });

  test('a POST or DELETE from a foreign page is refused with 403, cookie or not; the own and allowed origins pass', async () => {
    const login = await fetch(`${server.url}/auth/guest`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: server.url },
      body: JSON.stringify({ name: 'Ann' }),
    });
    assert.equal(login.status, 200, 'the server’s own origin may post');
    const cookie = login.headers.getSetCookie()[0]?.split(';')[0] as string;
    const ann = (await login.json()) as AuthAnswer;
    const socket = await ChatClient.connect(server.url, ann.token);
    await socket.join('csrf-room');
    const bob = await guest(server.url, 'Bob');

    const from = (origin: string | undefined, method: string, path: string, body?: unknown) =>
      fetch(`${server.url}${path}`, {
        method,
        headers: { 'content-type': 'application/json', cookie, ...(origin && { origin }) },
        ...(body !== undefined && { body: JSON.stringify(body) }),
      });
    for (const origin of ['http://evil.example.test', 'null', `${server.url}.evil.example.test`]) {
      const forged = await from(origin, 'POST', '/rooms/csrf-room/invites', { userId: bob.user.id });
      assert.equal(forged.status, 403, origin);
      assert.equal(((await forged.json()) as any).error.code, 'forbidden');
    }
    const forgedDelete = await from('http://evil.example.test', 'DELETE', `/rooms/csrf-room/members/me`);
    assert.equal(forgedDelete.status, 403);
    const forgedLogout = await from('http://evil.example.test', 'POST', '/auth/logout');
    assert.equal(forgedLogout.status, 403);
    assert.equal((await api(server.url, ann.token, '/me')).status, 200, 'the forged logout did nothing');
    const bobSocket = await ChatClient.connect(server.url, bob.token);
    await assert.rejects(bobSocket.join('csrf-room'), /forbidden/, 'the forged invite did nothing');

    assert.equal((await from(allowed, 'POST', '/rooms/csrf-room/invites', { userId: bob.user.id })).status, 201);
    assert.equal((await from(server.url, 'POST', '/rooms/csrf-room/invites', { userId: bob.user.id })).status, 201);
    assert.equal((await from(undefined, 'POST', '/rooms/csrf-room/invites', { userId: bob.user.id })).status, 201);
    socket.close();
    bobSocket.close();
  });
});
