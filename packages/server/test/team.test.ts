import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { AuthAnswer } from '@pockychat/protocol';
import { PostgresStore } from '../src/storage/postgres/postgres-store.ts';
import { login, PASSWORD, register, uniqueEmail } from './helpers/accounts.ts';
import { ChatClient, api, guest, guestWithCookie } from './helpers/clients.ts';
import { createDatabase, startPostgres, type PostgresServer } from './helpers/services.ts';
import { startTestServer, type TestServer } from './helpers/test-server.ts';
import { upload } from './helpers/uploads.ts';
import { waitFor } from './helpers/wait-for.ts';
import { ConfigError, loadConfig } from '../src/config.ts';

/**
 * Running a team over HTTP and real sockets (issue 18, points 1 and 2):
 * admins, deactivation, passwords, moderators, bans, mutes, moderators'
 * deletes and the audit log. Every rule is tried by someone allowed and by
 * someone refused, on SQLite and on PostgreSQL.
 */

const ENV = { AUTH_RATE_LIMIT: '1000', HTTP_RATE_LIMIT: '10000', ADMIN_EMAILS: 'Boss@Example.test' };

let pg: PostgresServer | undefined;
let databases = 0;
const backends: Array<{ name: string; open?: () => Promise<PostgresStore> }> = [
  { name: 'SQLite' },
  {
    name: 'PostgreSQL',
    open: async () => {
      pg ??= await startPostgres();
      return PostgresStore.open(await createDatabase(pg, `team${++databases}`));
    },
  },
];
after(async () => pg?.stop('immediate'));

const post = (url: string, token: string, path: string, body?: unknown) =>
  api(url, token, path, { method: 'POST', ...(body !== undefined && { body: JSON.stringify(body) }) });
const del = (url: string, token: string, path: string) => api(url, token, path, { method: 'DELETE' });
const put = (url: string, token: string, path: string) => api(url, token, path, { method: 'PUT' });

test('ADMIN_EMAILS is read lower-case, comma-separated; a value that is not an email stops the server', () => {
  assert.deepEqual(loadConfig({ ADMIN_EMAILS: ' Ops@Example.com, lead@example.com ,' }).adminEmails, [
    'ops@example.com',
    'lead@example.com',
  ]);
  assert.deepEqual(loadConfig({}).adminEmails, []);
  assert.throws(() => loadConfig({ ADMIN_EMAILS: 'ops@example.com,nobody' }), ConfigError);
});

for (const backend of backends) {
  describe(`running a team (${backend.name})`, () => {
    let server: TestServer;
    let url: string;
    /** The first account registered (after a guest, who does not count): the server's admin. */
    let admin: AuthAnswer;

    before(async () => {
      server = await startTestServer({ env: ENV, ...(backend.open && { openStore: backend.open }) });
      url = server.url;
      await guest(url, 'Early Guest');
      admin = await register(url, { email: uniqueEmail('admin'), name: 'Admin' });
    });
    after(() => server.close());

    const account = (name: string, email = uniqueEmail(name.toLowerCase())) => register(url, { email, name });
    const connect = async (who: AuthAnswer, room?: string) => {
      const client = await ChatClient.connect(url, who.token);
      if (room) await client.join(room);
      return client;
    };

    test('the first account is an admin, a guest before it does not count, later accounts are not', async () => {
      assert.equal(admin.user.admin, true);
      assert.equal((await api(url, admin.token, '/me')).body.user.admin, true);
      const later = await account('Later');
      assert.equal(later.user.admin, undefined);
      assert.equal((await api(url, later.token, '/me')).body.user.admin, undefined);
      const aGuest = await guest(url, 'Guesty');
      assert.equal(aGuest.user.admin, undefined);
    });

    test('ADMIN_EMAILS (any case) makes an account an admin; another email does not', async () => {
      const boss = await register(url, { email: 'boss@example.test', name: 'Boss' });
      assert.equal(boss.user.admin, true);
      const other = await account('Notboss');
      assert.equal(other.user.admin, undefined);
      assert.equal((await api(url, other.token, '/admin/users')).status, 403);
      assert.equal((await api(url, boss.token, '/admin/users')).status, 200);
    });

    test('only an admin reaches /admin/*: others get 403, no credentials 401', async () => {
      const member = await account('Plain');
      const target = await account('Target');
      const id = target.user.id;
      const calls: Array<[string, string, unknown?]> = [
        ['GET', '/admin/users'],
        ['GET', '/admin/rooms'],
        ['POST', `/admin/users/${id}/deactivate`],
        ['POST', `/admin/users/${id}/reactivate`],
        ['POST', `/admin/users/${id}/password`, { password: 'another password 1' }],
      ];
      for (const [method, path, body] of calls) {
        const init = { method, ...(body !== undefined && { body: JSON.stringify(body) }) };
        assert.equal((await api(url, member.token, path, init)).status, 403, `${method} ${path} by a member`);
        assert.equal((await api(url, undefined, path, init)).status, 401, `${method} ${path} signed out`);
      }
      assert.equal((await api(url, target.token, '/me')).status, 200, 'nothing happened to the target');
    });

    test('the admin finds users by part of a name or email, in pages', async () => {
      const tag = `srch${Date.now().toString(36)}`;
      for (const n of [1, 2, 3]) await register(url, { email: `${tag}-${n}@example.test`, name: `Person ${n}` });
      await register(url, { email: uniqueEmail('x'), name: `${tag.toUpperCase()} by name` });
      const seen: string[] = [];
      let cursor: string | undefined;
      for (let pages = 0; pages < 5; pages++) {
        const page = await api(url, admin.token, `/admin/users?q=${tag}&limit=3${cursor ? `&cursor=${cursor}` : ''}`);
        assert.equal(page.status, 200);
        seen.push(...page.body.users.map((u: { user: { name: string } }) => u.user.name));
        cursor = page.body.next;
        if (!cursor) break;
      }
      assert.deepEqual(seen, ['Person 1', 'Person 2', 'Person 3', `${tag.toUpperCase()} by name`]);
      assert.equal((await api(url, admin.token, '/admin/users?cursor=nonsense')).status, 400);
      assert.equal((await api(url, admin.token, '/admin/users?limit=1000')).status, 400);
    });

    test('deactivate: token and cookie 401, sockets closed, sign-in forbidden, messages kept; reactivate undoes it', async () => {
      const email = uniqueEmail('deact');
      const viaCookie = await guestWithCookie(url, 'Dee');
      const dee = await register(url, { email, name: 'Dee' }, viaCookie.token);
      const cookieLogin = await fetch(`${url}/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password: PASSWORD }),
      });
      const cookie = cookieLogin.headers.getSetCookie()[0]?.split(';')[0] as string;
      const socket = await connect(dee, 'lobby');
      socket.send({ type: 'send', room: 'lobby', clientId: 'dee-1', text: 'before deactivation' });
      const { message } = await socket.next('ack');

      const plain = await account('Bystander');
      assert.equal((await post(url, plain.token, `/admin/users/${dee.user.id}/deactivate`)).status, 403);
      assert.equal((await api(url, dee.token, '/me')).status, 200, 'a refused deactivation changes nothing');

      assert.equal((await post(url, admin.token, `/admin/users/${dee.user.id}/deactivate`)).status, 204);
      assert.equal((await socket.next('error')).code, 'unauthenticated');
      await waitFor(() => socket.closed, { what: 'the deactivated user’s socket to close' });
      assert.equal((await api(url, dee.token, '/me')).status, 401, 'token');
      assert.equal((await fetch(`${url}/me`, { headers: { cookie } })).status, 401, 'cookie');
      const refused = await login(url, email, PASSWORD);
      assert.equal(refused.status, 403);
      assert.match(refused.body.error.message, /deactivated/);
      const history = await api(url, plain.token, '/history?room=lobby&limit=500');
      assert.ok(
        history.body.messages.some((m: { id: string }) => m.id === message.id),
        'the messages stay',
      );
      const listed = await api(url, admin.token, `/admin/users?q=${encodeURIComponent(email)}`);
      assert.ok(listed.body.users[0].deactivatedAt, 'listed as deactivated');
      assert.equal(
        (await post(url, admin.token, `/admin/users/${admin.user.id}/deactivate`)).status,
        400,
        'not oneself',
      );
      assert.equal((await post(url, admin.token, '/admin/users/nosuchuser/deactivate')).status, 404);

      assert.equal((await post(url, plain.token, `/admin/users/${dee.user.id}/reactivate`)).status, 403);
      assert.equal((await post(url, admin.token, `/admin/users/${dee.user.id}/reactivate`)).status, 204);
      const back = await login(url, email, PASSWORD);
      assert.equal(back.status, 200);
      assert.equal((await api(url, back.body.token, '/me')).status, 200);
      const relisted = await api(url, admin.token, `/admin/users?q=${encodeURIComponent(email)}`);
      assert.equal(relisted.body.users[0].deactivatedAt, undefined);
    });

    test('the admin sets a password: the user’s sessions end, the new one signs in, the old one does not', async () => {
      const email = uniqueEmail('pw');
      const pat = await register(url, { email, name: 'Pat' });
      const socket = await connect(pat);
      const plain = await account('Other');
      const body = { password: 'a brand new password' };
      assert.equal((await post(url, plain.token, `/admin/users/${pat.user.id}/password`, body)).status, 403);
      assert.equal(
        (await post(url, admin.token, `/admin/users/${pat.user.id}/password`, { password: 'short' })).status,
        400,
      );
      assert.equal((await post(url, admin.token, `/admin/users/${pat.user.id}/password`, body)).status, 204);
      await waitFor(() => socket.closed, { what: 'the user’s socket to close' });
      assert.equal((await api(url, pat.token, '/me')).status, 401);
      assert.equal((await login(url, email, PASSWORD)).status, 401, 'the old password');
      assert.equal((await login(url, email, body.password)).status, 200, 'the new password');
      const aGuest = await guest(url, 'Nopw');
      assert.equal((await post(url, admin.token, `/admin/users/${aGuest.user.id}/password`, body)).status, 400);
    });

    test('the admin lists rooms with owner, members and last activity; others may not', async () => {
      const owner = await account('Roomy');
      const room = `adm-room-${Date.now().toString(36)}`;
      const socket = await ChatClient.connect(url, owner.token);
      await socket.join(room, 'public');
      socket.send({ type: 'send', room, clientId: 'r1', text: 'hello' });
      const { message } = await socket.next('ack');
      const listed = await api(url, admin.token, `/admin/rooms?limit=100`);
      assert.equal(listed.status, 200);
      const rows: Array<{ name: string }> = [...listed.body.rooms];
      let next: string | undefined = listed.body.next;
      while (next) {
        const more = await api(url, admin.token, `/admin/rooms?limit=100&cursor=${encodeURIComponent(next)}`);
        rows.push(...more.body.rooms);
        next = more.body.next;
      }
      assert.deepEqual(
        rows.find((r) => r.name === room),
        { name: room, visibility: 'public', owner: owner.user, members: 1, lastActivity: message.date },
      );
      assert.equal((await api(url, owner.token, '/admin/rooms')).status, 403);
      socket.close();
    });

    describe('moderation', () => {
      let owner: AuthAnswer;
      let mod: AuthAnswer;
      let member: AuthAnswer;
      let outsider: AuthAnswer;
      let room: string;
      let n = 0;

      before(async () => {
        [owner, mod, member, outsider] = await Promise.all([
          account('Owner'),
          account('Mod'),
          account('Member'),
          account('Outsider'),
        ]);
      });

      /** A fresh public room: owner, a moderator and a member in it. */
      const freshRoom = async () => {
        room = `mod-${++n}-${Date.now().toString(36)}`;
        const o = await ChatClient.connect(url, owner.token);
        await o.join(room, 'public');
        for (const who of [mod, member]) (await connect(who, room)).close();
        assert.equal((await put(url, owner.token, `/rooms/${room}/moderators/${mod.user.id}`)).status, 204);
        return o;
      };

      test('the owner and an admin make moderators; a moderator, a member and an outsider may not', async () => {
        const o = await freshRoom();
        const members = await api(url, member.token, `/rooms/${room}/members`);
        assert.deepEqual(
          members.body.members.find((m: { user: { id: string } }) => m.user.id === mod.user.id).role,
          'moderator',
        );
        for (const who of [mod, member, outsider]) {
          assert.equal((await put(url, who.token, `/rooms/${room}/moderators/${member.user.id}`)).status, 403);
          assert.equal((await del(url, who.token, `/rooms/${room}/moderators/${mod.user.id}`)).status, 403);
        }
        assert.equal((await put(url, admin.token, `/rooms/${room}/moderators/${member.user.id}`)).status, 204);
        assert.equal((await put(url, owner.token, `/rooms/${room}/moderators/${member.user.id}`)).status, 204, 'twice');
        assert.equal((await del(url, owner.token, `/rooms/${room}/moderators/${member.user.id}`)).status, 204);
        assert.equal((await put(url, owner.token, `/rooms/${room}/moderators/${outsider.user.id}`)).status, 404);
        assert.equal((await put(url, admin.token, `/rooms/${room}/moderators/${owner.user.id}`)).status, 400);
        const audit = await api(url, owner.token, `/rooms/${room}/audit`);
        assert.deepEqual(
          audit.body.entries.map((e: { action: string }) => e.action),
          ['moderator_removed', 'moderator_added', 'moderator_added'],
          'a change that changes nothing is not logged',
        );
        const after = await api(url, member.token, `/rooms/${room}/members`);
        assert.equal(
          after.body.members.find((m: { user: { id: string } }) => m.user.id === member.user.id).role,
          'member',
        );
        o.close();
      });

      test('a ban unsubscribes the user live and refuses its joins, public room included; an unban lets it back', async () => {
        const o = await freshRoom();
        const banned = await connect(member, room);
        assert.equal((await post(url, outsider.token, `/rooms/${room}/bans`, { userId: member.user.id })).status, 403);
        assert.equal((await post(url, member.token, `/rooms/${room}/bans`, { userId: mod.user.id })).status, 403);

        assert.equal((await post(url, mod.token, `/rooms/${room}/bans`, { userId: member.user.id })).status, 201);
        const left = await banned.next('left', (f) => f.room === room);
        assert.equal(left.reason, 'banned');
        banned.send({ type: 'send', room, clientId: 'after-ban', text: 'still here?' });
        assert.equal((await banned.next('error', (f) => f.ref === 'after-ban')).code, 'forbidden', 'unsubscribed');
        const members = await api(url, owner.token, `/rooms/${room}/members`);
        assert.ok(!members.body.members.some((m: { user: { id: string } }) => m.user.id === member.user.id));
        banned.send({ type: 'join', room, id: 'rejoin' });
        const refused = await banned.next('error', (f) => f.id === 'rejoin');
        assert.equal(refused.code, 'forbidden');
        assert.match(refused.message, /banned/);

        assert.equal((await del(url, member.token, `/rooms/${room}/bans/${member.user.id}`)).status, 403);
        assert.equal((await del(url, owner.token, `/rooms/${room}/bans/${member.user.id}`)).status, 204);
        assert.equal((await del(url, owner.token, `/rooms/${room}/bans/${member.user.id}`)).status, 404);
        await banned.join(room);
        banned.close();
        o.close();
      });

      test('a banned user reads nothing of a public room (history, members, search, rooms list, reactions) until unbanned', async () => {
        const o = await freshRoom();
        o.send({ type: 'send', room, clientId: 'zanzibar', text: 'zanzibar quartet rehearsal' });
        const sent = (await o.next('ack', (f) => f.clientId === 'zanzibar')).message;
        const reader = await connect(member, room);
        const readable = async (status: number) => {
          assert.equal((await api(url, member.token, `/history?room=${room}&since=0`)).status, status, 'history');
          assert.equal((await api(url, member.token, `/rooms/${room}/members`)).status, status, 'members');
          assert.equal((await api(url, member.token, `/search?q=zanzibar&room=${room}`)).status, status, 'search');
          const everywhere = await api(url, member.token, '/search?q=zanzibar');
          const found = everywhere.body.messages.some((m: { id: string }) => m.id === sent.id);
          assert.equal(found, status === 200, 'search in every readable room');
          const rooms = await api(url, member.token, '/rooms');
          const listed = rooms.body.rooms.some((r: { name: string }) => r.name === room);
          assert.equal(listed, status === 200, 'GET /rooms');
        };
        await readable(200);
        assert.equal((await post(url, mod.token, `/rooms/${room}/bans`, { userId: member.user.id })).status, 201);
        await reader.next('left', (f) => f.room === room);
        await readable(403);
        reader.send({ type: 'react', id: 'r1', room, messageId: sent.id, emoji: '👍' });
        const refused = await reader.next('error', (f) => f.id === 'r1');
        assert.equal(refused.code, 'forbidden');
        assert.match(refused.message, /banned/);
        assert.equal((await del(url, owner.token, `/rooms/${room}/bans/${member.user.id}`)).status, 204);
        await readable(200);
        reader.close();
        o.close();
      });

      test('the owner and an admin ban too; nobody bans the owner; a moderator does not ban an admin or a moderator', async () => {
        const o = await freshRoom();
        const target = await account('Target');
        (await connect(target, room)).close();
        assert.equal((await post(url, owner.token, `/rooms/${room}/bans`, { userId: target.user.id })).status, 201);
        assert.equal((await del(url, admin.token, `/rooms/${room}/bans/${target.user.id}`)).status, 204);
        assert.equal((await post(url, admin.token, `/rooms/${room}/bans`, { userId: target.user.id })).status, 201);
        for (const who of [mod, admin]) {
          assert.equal((await post(url, who.token, `/rooms/${room}/bans`, { userId: owner.user.id })).status, 403);
          assert.equal(
            (await post(url, who.token, `/rooms/${room}/mutes`, { userId: owner.user.id, minutes: 10 })).status,
            403,
          );
        }
        assert.equal((await post(url, mod.token, `/rooms/${room}/bans`, { userId: admin.user.id })).status, 403);
        const mod2 = await account('Mod2');
        (await connect(mod2, room)).close();
        assert.equal((await put(url, owner.token, `/rooms/${room}/moderators/${mod2.user.id}`)).status, 204);
        assert.equal((await post(url, mod.token, `/rooms/${room}/bans`, { userId: mod2.user.id })).status, 403);
        assert.equal((await post(url, owner.token, `/rooms/${room}/bans`, { userId: 'Not An Id' })).status, 400);
        o.close();
      });

      test('a mute refuses send, edit and react in that room with a clear message until lifted', async () => {
        const o = await freshRoom();
        const muted = await connect(member, room);
        muted.send({ type: 'send', room, clientId: 'before-mute', text: 'mine' });
        const { message } = await muted.next('ack');
        const body = { userId: member.user.id, minutes: 10 };
        assert.equal((await post(url, outsider.token, `/rooms/${room}/mutes`, body)).status, 403);
        assert.equal(
          (await post(url, member.token, `/rooms/${room}/mutes`, { ...body, userId: mod.user.id })).status,
          403,
        );
        const muting = await post(url, mod.token, `/rooms/${room}/mutes`, body);
        assert.equal(muting.status, 201);
        assert.ok(Date.parse(muting.body.until) > Date.now());

        muted.send({ type: 'send', room, clientId: 'while-muted', text: 'hello?' });
        const refused = await muted.next('error', (f) => f.ref === 'while-muted');
        assert.equal(refused.code, 'forbidden');
        assert.match(refused.message, /muted in .* until/);
        muted.send({ type: 'edit', room, id: 'edit-muted', messageId: message.id, text: 'edited' });
        assert.equal((await muted.next('error', (f) => f.id === 'edit-muted')).code, 'forbidden');
        muted.send({ type: 'react', room, id: 'react-muted', messageId: message.id, emoji: '👍' });
        assert.equal((await muted.next('error', (f) => f.id === 'react-muted')).code, 'forbidden');
        const file = await upload(url, member.token, room, Buffer.from('hi'), {
          clientId: 'muted-file',
          name: 'a.txt',
        });
        assert.equal(file.status, 403, 'an upload too');
        const elsewhere = await ChatClient.connect(url, member.token);
        await elsewhere.join('lobby');
        elsewhere.send({ type: 'send', room: 'lobby', clientId: 'muted-elsewhere', text: 'free here' });
        await elsewhere.next('ack', (f) => f.clientId === 'muted-elsewhere');
        elsewhere.close();
        const state = await api(url, mod.token, `/rooms/${room}/moderation`);
        assert.deepEqual(
          state.body.mutes.map((m: { user: { id: string } }) => m.user.id),
          [member.user.id],
        );
        assert.equal((await api(url, member.token, `/rooms/${room}/moderation`)).status, 403);

        for (const who of [owner, admin]) {
          const other = { userId: outsider.user.id, minutes: 5 };
          assert.equal((await post(url, who.token, `/rooms/${room}/mutes`, other)).status, 201, 'owner and admin mute');
          assert.equal((await del(url, who.token, `/rooms/${room}/mutes/${outsider.user.id}`)).status, 204);
        }
        assert.equal((await del(url, owner.token, `/rooms/${room}/mutes/${outsider.user.id}`)).status, 404);
        assert.equal((await del(url, member.token, `/rooms/${room}/mutes/${member.user.id}`)).status, 403);
        assert.equal((await del(url, mod.token, `/rooms/${room}/mutes/${member.user.id}`)).status, 204);
        muted.send({ type: 'send', room, clientId: 'after-unmute', text: 'back' });
        assert.equal((await muted.next('ack', (f) => f.clientId === 'after-unmute')).message.text, 'back');
        muted.close();
        o.close();
      });

      test('a moderator and an admin delete another’s message; a member may not; the audit log says so, for owner and admin only', async () => {
        const o = await freshRoom();
        const m = await connect(member, room);
        const send = async (clientId: string) => {
          m.send({ type: 'send', room, clientId, text: `spam ${clientId}` });
          return (await m.next('ack', (f) => f.clientId === clientId)).message;
        };
        const first = await send('spam-1');
        const second = await send('spam-2');
        const other = await connect(outsider, room);
        other.send({ type: 'delete', room, id: 'del-member', messageId: first.id });
        assert.equal((await other.next('error', (f) => f.id === 'del-member')).code, 'forbidden');
        const modSocket = await connect(mod, room);
        modSocket.send({ type: 'delete', room, id: 'del-mod', messageId: first.id });
        await modSocket.next('ok', (f) => f.id === 'del-mod');
        const updated = await m.next('updated', (f) => f.message.id === first.id);
        assert.equal(updated.message.deleted, true);
        const adminSocket = await connect(admin, room);
        adminSocket.send({ type: 'delete', room, id: 'del-admin', messageId: second.id });
        await adminSocket.next('ok', (f) => f.id === 'del-admin');

        await post(url, mod.token, `/rooms/${room}/mutes`, { userId: member.user.id, minutes: 60 });
        const audit = await api(url, owner.token, `/rooms/${room}/audit`);
        assert.equal(audit.status, 200);
        const actions = audit.body.entries.map((e: { action: string; actor: { id: string } }) => [
          e.action,
          e.actor.id,
        ]);
        assert.deepEqual(actions, [
          ['mute', mod.user.id],
          ['message_deleted', admin.user.id],
          ['message_deleted', mod.user.id],
          ['moderator_added', owner.user.id],
        ]);
        const deleted = audit.body.entries[2];
        assert.equal(deleted.messageId, first.id);
        assert.equal(deleted.target.id, member.user.id);
        assert.equal(deleted.detail, 'spam spam-1');
        assert.equal((await api(url, admin.token, `/rooms/${room}/audit?limit=1`)).body.entries.length, 1);
        const paged = await api(url, admin.token, `/rooms/${room}/audit?limit=2`);
        const rest = await api(url, admin.token, `/rooms/${room}/audit?limit=2&cursor=${paged.body.next}`);
        assert.deepEqual(
          [...paged.body.entries, ...rest.body.entries].map((e: { id: string }) => e.id),
          audit.body.entries.map((e: { id: string }) => e.id),
        );
        for (const who of [mod, member, outsider]) {
          assert.equal((await api(url, who.token, `/rooms/${room}/audit`)).status, 403);
        }
        for (const s of [m, other, modSocket, adminSocket, o]) s.close();
      });
    });
  });
}
