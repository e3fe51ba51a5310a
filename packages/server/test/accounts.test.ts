import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { dmRoomName } from '@pockychat/protocol';
import { PASSWORD, login, register, uniqueEmail } from './helpers/accounts.ts';
import { cookieAttributes, cookiePair } from './helpers/browser.ts';
import { ChatClient, api, guest, guestWithCookie } from './helpers/clients.ts';
import { upgradeStatus } from './helpers/raw-socket.ts';
import { startTestServer, type TestServer } from './helpers/test-server.ts';
import { waitFor } from './helpers/wait-for.ts';

function post(url: string, path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

describe('accounts: register, login, logout', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  test('register answers 201 with an email user, a working token and a HttpOnly SameSite=Lax cookie', async () => {
    const email = uniqueEmail('reg');
    const response = await post(server.url, '/auth/register', { email, password: PASSWORD, name: 'Reg' });
    assert.equal(response.status, 201);
    const body = (await response.json()) as any;
    assert.equal(body.user.kind, 'email');
    assert.equal(body.user.name, 'Reg');
    assert.equal(typeof body.token, 'string');
    assert.deepEqual((await api(server.url, body.token, '/me')).body, { user: body.user });

    const attributes = cookieAttributes(response, 'pocky_session');
    assert.ok(attributes, 'a session cookie is set');
    assert.ok(attributes.includes('httponly'));
    assert.ok(attributes.includes('samesite=lax'));
    assert.ok(attributes.includes('path=/'));
    const cookie = cookiePair(response, 'pocky_session') as string;
    assert.deepEqual((await api(server.url, undefined, '/me', { headers: { cookie } })).body.user, body.user);
  });

  test('register refuses a short password, a bad email, a missing name and a taken email with 400', async () => {
    const email = uniqueEmail('bad');
    const cases = [
      { email, password: 'short', name: 'A' },
      { email, password: 'x'.repeat(9), name: 'A' },
      { email: 'not-an-email', password: PASSWORD, name: 'A' },
      { email: '', password: PASSWORD, name: 'A' },
      { email, password: PASSWORD },
      { email, password: 1234567890123, name: 'A' },
    ];
    for (const body of cases) {
      const answer = await api(server.url, undefined, '/auth/register', { method: 'POST', body: JSON.stringify(body) });
      assert.equal(answer.status, 400, JSON.stringify(body));
      assert.equal(answer.body.error.code, 'bad_request');
    }
    await register(server.url, { email, name: 'First' });
    for (const taken of [email, email.toUpperCase(), ` ${email} `]) {
      const again = await api(server.url, undefined, '/auth/register', {
        method: 'POST',
        body: JSON.stringify({ email: taken, password: PASSWORD, name: 'Second' }),
      });
      assert.equal(again.status, 400, taken);
      assert.equal(again.body.error.code, 'bad_request');
    }
  });

  test('login: the right pair signs in; a wrong password and an unknown email get the same 401', async () => {
    const email = uniqueEmail('login');
    const account = await register(server.url, { email, name: 'Lou' });

    const right = await login(server.url, email.toUpperCase(), PASSWORD);
    assert.equal(right.status, 200);
    assert.deepEqual(right.body.user, account.user);
    assert.notEqual(right.body.token, account.token, 'each sign-in gets its own token');
    assert.equal((await api(server.url, right.body.token, '/me')).status, 200);

    let started = performance.now();
    const wrong = await login(server.url, email, `${PASSWORD}!`);
    const wrongMs = performance.now() - started;
    started = performance.now();
    const unknown = await login(server.url, uniqueEmail('nobody'), PASSWORD);
    const unknownMs = performance.now() - started;
    assert.equal(wrong.status, 401);
    assert.equal(unknown.status, 401);
    assert.equal(wrong.body.error.code, 'bad_credentials');
    assert.deepEqual(unknown.body, wrong.body, 'the answer does not tell which part was wrong');
    // Both run a password hash (no early answer for an unknown email); never compared with each other.
    assert.ok(wrongMs > 10 && unknownMs > 10, `wrong ${wrongMs} ms, unknown ${unknownMs} ms`);

    const malformed = await api(server.url, undefined, '/auth/login', {
      method: 'POST',
      body: JSON.stringify({ email }),
    });
    assert.equal(malformed.status, 400);
    assert.equal(malformed.body.error.code, 'bad_request');
  });

  test('GET /me without a session is 401 unauthenticated', async () => {
    const answer = await api(server.url, undefined, '/me');
    assert.equal(answer.status, 401);
    assert.equal(answer.body.error.code, 'unauthenticated');
    assert.equal((await api(server.url, 'made-up-token', '/me')).status, 401);
  });

  test('logout revokes the token for HTTP and for the Primus upgrade', async () => {
    const account = await register(server.url, { email: uniqueEmail('out'), name: 'Out' });
    assert.equal(await upgradeStatus(server.url, { token: account.token }), 101);

    const out = await api(server.url, account.token, '/auth/logout', { method: 'POST' });
    assert.equal(out.status, 204);
    const me = await api(server.url, account.token, '/me');
    assert.equal(me.status, 401);
    assert.equal(me.body.error.code, 'unauthenticated');
    assert.equal(await upgradeStatus(server.url, { token: account.token }), 401);
  });

  test('logout with the cookie revokes the cookie and clears it', async () => {
    const email = uniqueEmail('cookie-out');
    await register(server.url, { email, name: 'Cookie' });
    const response = await post(server.url, '/auth/login', { email, password: PASSWORD });
    const cookie = cookiePair(response, 'pocky_session') as string;
    assert.equal(await upgradeStatus(server.url, { cookie }), 101);
    const out = await fetch(`${server.url}/auth/logout`, { method: 'POST', headers: { cookie } });
    assert.equal(out.status, 204);
    assert.match(out.headers.getSetCookie().join('\n'), /pocky_session=;/);
    assert.equal((await api(server.url, undefined, '/me', { headers: { cookie } })).status, 401);
    assert.equal(await upgradeStatus(server.url, { cookie }), 401);
  });
});

describe('accounts: a guest becomes an account', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
    // The first account is the server's admin (its User says so): the accounts compared below are not it.
    await register(server.url, { email: uniqueEmail('first'), name: 'First' });
  });
  after(() => server.close());

  test('register with a guest token upgrades the guest in place: same id, rooms, messages', async () => {
    const gus = await guest(server.url, 'Gus');
    const socket = await ChatClient.connect(server.url, gus.token);
    await socket.join('gus-private');
    socket.send({ type: 'send', room: 'gus-private', clientId: 'g1', text: 'as a guest' });
    await socket.next('ack');

    const account = await register(server.url, { email: uniqueEmail('gus'), name: 'Gus Account' }, gus.token);
    assert.deepEqual(account.user, { id: gus.user.id, name: 'Gus Account', kind: 'email' });

    const history = await api(server.url, account.token, '/history?room=gus-private');
    assert.equal(history.status, 200);
    assert.equal(history.body.messages.length, 1);
    assert.deepEqual(history.body.messages[0].author, account.user);
    const members = await api(server.url, account.token, '/rooms/gus-private/members');
    // Presence (`status`) aside.
    assert.deepEqual(
      members.body.members.map(({ user, role }: { user: unknown; role: string }) => ({ user, role })),
      [{ user: account.user, role: 'owner' }],
    );
    const rooms = await api(server.url, account.token, '/rooms');
    assert.ok(rooms.body.rooms.some((r: { name: string }) => r.name === 'gus-private'));
    assert.equal(
      (await api(server.url, gus.token, '/me')).status,
      401,
      'the guest token ends with the guest: one someone kept does not open the account',
    );
    assert.deepEqual((await api(server.url, account.token, '/me')).body.user, account.user);
    // The open connection still says "guest": it is asked to reconnect.
    await socket.next('reconnect');
    await waitFor(() => socket.closed, { what: 'the guest connection to close' });
  });

  test('register with a guest cookie upgrades the guest too', async () => {
    const gus = await guestWithCookie(server.url, 'Cookie Gus');
    const response = await post(
      server.url,
      '/auth/register',
      { email: uniqueEmail('cgus'), password: PASSWORD, name: 'Cookie Gus' },
      { cookie: gus.cookie },
    );
    assert.equal(response.status, 201);
    assert.equal(((await response.json()) as any).user.id, gus.user.id);
  });

  test('a guest registering with a taken email stays a guest', async () => {
    const email = uniqueEmail('taken');
    await register(server.url, { email, name: 'Owner' });
    const gus = await guest(server.url, 'Gus');
    const answer = await api(server.url, gus.token, '/auth/register', {
      method: 'POST',
      body: JSON.stringify({ email, password: PASSWORD, name: 'Thief' }),
    });
    assert.equal(answer.status, 400);
    assert.deepEqual((await api(server.url, gus.token, '/me')).body.user, gus.user);
  });

  test('login with a guest token merges the guest into the account: rooms, messages, likes, ownership, invites, DMs', async () => {
    const email = uniqueEmail('merge');
    const account = await register(server.url, { email, name: 'Acc' });
    const accountId = account.user.id;
    const xena = await guest(server.url, 'Xena');
    const gus = await guest(server.url, 'Gus');
    const a = await ChatClient.connect(server.url, account.token);
    const x = await ChatClient.connect(server.url, xena.token);
    const g = await ChatClient.connect(server.url, gus.token);

    // The account's public room and message, which the guest joins and likes.
    await a.join('acc-public', 'public');
    a.send({ type: 'send', room: 'acc-public', clientId: 'same-client-id', text: 'by the account' });
    const accMessage = (await a.next('ack')).message;
    await g.join('acc-public');
    g.send({ type: 'like', room: 'acc-public', messageId: accMessage.id });
    await g.next('likes');
    // The guest's own private room, and a message whose clientId the account also used.
    await g.join('gus-owned');
    g.send({ type: 'send', room: 'gus-owned', clientId: 'same-client-id', text: 'by the guest' });
    await g.next('ack');
    // Xena invites the guest to her private room (not joined yet), and DMs it.
    await x.join('xena-private');
    const invite = await api(server.url, xena.token, '/rooms/xena-private/invites', {
      method: 'POST',
      body: JSON.stringify({ userId: gus.user.id }),
    });
    assert.equal(invite.status, 201);
    await g.next('invited');
    const dm = dmRoomName(gus.user.id, xena.user.id);
    await x.join(dm);
    x.send({ type: 'send', room: dm, clientId: 'dm1', text: 'hi gus' });
    await x.next('ack');

    const merged = await login(server.url, email, PASSWORD, gus.token);
    assert.equal(merged.status, 200);
    assert.deepEqual(merged.body.user, account.user);

    // The guest's connection is told to reconnect, then closed.
    await g.next('reconnect');
    await waitFor(() => g.closed, { what: 'the guest connection to close' });
    // The guest id is gone, and its token with it.
    assert.equal((await api(server.url, gus.token, '/me')).status, 401);
    const inviteGone = await api(server.url, xena.token, '/rooms/xena-private/invites', {
      method: 'POST',
      body: JSON.stringify({ userId: gus.user.id }),
    });
    assert.equal(inviteGone.status, 404);

    // Ownership and membership of the guest's room, and its message.
    const members = await api(server.url, account.token, '/rooms/gus-owned/members');
    assert.equal(members.status, 200);
    assert.deepEqual(
      members.body.members.map(({ user, role }: { user: unknown; role: string }) => ({ user, role })),
      [{ user: account.user, role: 'owner' }],
    );
    const history = await api(server.url, account.token, '/history?room=gus-owned');
    assert.deepEqual(
      history.body.messages.map((m: any) => [m.author.id, m.text]),
      [[accountId, 'by the guest']],
    );
    // The like, once, by the account.
    const publicHistory = await api(server.url, account.token, '/history?room=acc-public');
    assert.deepEqual(publicHistory.body.messages[0].likes, [accountId]);
    // The account's own clientId still answers with its own message.
    const again = await ChatClient.connect(server.url, account.token);
    await again.join('acc-public');
    again.send({ type: 'send', room: 'acc-public', clientId: 'same-client-id', text: 'by the account' });
    assert.equal((await again.next('ack')).message.id, accMessage.id);
    // The invite: the account may now join Xena's private room.
    assert.equal(await again.join('xena-private'), 0);
    // The DM now names the account, and both ends can read it.
    const renamed = dmRoomName(accountId, xena.user.id);
    for (const token of [account.token, xena.token]) {
      const dmHistory = await api(server.url, token, `/history?room=${encodeURIComponent(renamed)}`);
      assert.equal(dmHistory.status, 200);
      assert.deepEqual(
        dmHistory.body.messages.map((m: any) => m.text),
        ['hi gus'],
      );
    }
    assert.equal(await again.join(renamed), 1);
    for (const c of [a, x, again]) c.close();
  });

  test('login with a guest cookie merges the guest too', async () => {
    const email = uniqueEmail('cmerge');
    await register(server.url, { email, name: 'Acc' });
    const gus = await guestWithCookie(server.url, 'Cookie Gus');
    const response = await post(server.url, '/auth/login', { email, password: PASSWORD }, { cookie: gus.cookie });
    assert.equal(response.status, 200);
    assert.equal((await api(server.url, undefined, '/me', { headers: { cookie: gus.cookie } })).status, 401);
  });

  test('an invite to an email is claimed when that email registers', async () => {
    const owner = await guest(server.url, 'Owner');
    const o = await ChatClient.connect(server.url, owner.token);
    await o.join('email-invite-room');
    const email = uniqueEmail('invitee');
    const invite = await api(server.url, owner.token, '/rooms/email-invite-room/invites', {
      method: 'POST',
      body: JSON.stringify({ email: email.toUpperCase() }),
    });
    assert.equal(invite.status, 201);
    assert.deepEqual(invite.body, { room: 'email-invite-room', invitee: { email } });
    const account = await register(server.url, { email, name: 'Invitee' });
    const c = await ChatClient.connect(server.url, account.token);
    assert.equal(await c.join('email-invite-room'), 0);
    o.close();
    c.close();
  });
});

describe('accounts: sign-in rate limits', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  test('the 11th login attempt for one email in 15 minutes is refused with 429, even with the right password', async () => {
    const email = uniqueEmail('limited');
    await register(server.url, { email, name: 'Lim' });
    for (let i = 0; i < 10; i += 1) {
      assert.equal((await login(server.url, email, `wrong password ${i}`)).status, 401, `attempt ${i + 1}`);
    }
    const eleventh = await login(server.url, email, PASSWORD);
    assert.equal(eleventh.status, 429);
    assert.equal(eleventh.body.error.code, 'rate_limited');
    // Another email is not affected.
    const other = uniqueEmail('free');
    await register(server.url, { email: other, name: 'Free' });
    assert.equal((await login(server.url, other, PASSWORD)).status, 200);
  });
});

describe('accounts: per-address limit on sign-in', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  test('more than 20 sign-in attempts a minute from one address are refused with 429', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 21; i += 1) statuses.push((await login(server.url, uniqueEmail('spray'), PASSWORD)).status);
    assert.deepEqual(statuses.slice(0, 20), Array(20).fill(401));
    assert.equal(statuses[20], 429);
    const answer = await login(server.url, uniqueEmail('spray'), PASSWORD);
    assert.equal(answer.body.error.code, 'rate_limited');
  });
});
