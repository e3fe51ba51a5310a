import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { dmRoomName, type AuthAnswer, type InviteLink } from '@pockychat/protocol';
import { sql } from 'kysely';
import { KEPT_DEAD_LINKS, MAX_USABLE_LINKS } from '../src/chat/invite-links.ts';
import type { Store } from '../src/chat/ports/store.ts';
import { PostgresStore } from '../src/storage/postgres/postgres-store.ts';
import { SqlStore } from '../src/storage/sql/sql-store.ts';
import { ChatClient, api, guest } from './helpers/clients.ts';
import { createDatabase, startPostgres, type PostgresServer } from './helpers/services.ts';
import { startTestServer, type TestServer } from './helpers/test-server.ts';

/**
 * Invite links and group DMs over HTTP and real Primus sockets, each rule
 * allowed and refused, on SQLite and on PostgreSQL. The server's clock is
 * one the test moves on, to expire links.
 */

const clock = { offset: 0, now: () => Date.now() + clock.offset };

type Backend = { name: string; start: () => Promise<{ server: TestServer; stop: () => Promise<void> }> };
/** The server's store, kept as it opens it: a test counts rows in it. */
let opened: Store | undefined;
const wrapStore = (store: Store) => (opened = store);
const webOrigin = 'http://client.example';
const env = { AUTH_RATE_LIMIT: '1000', HTTP_RATE_LIMIT: '100000', ALLOWED_ORIGINS: webOrigin };

const backends: Backend[] = [
  {
    name: 'SQLite',
    start: async () => {
      const server = await startTestServer({ env, clock, wrapStore });
      return { server, stop: () => server.close() };
    },
  },
  {
    name: 'PostgreSQL',
    start: async () => {
      const pg: PostgresServer = await startPostgres();
      const url = await createDatabase(pg, 'links');
      const server = await startTestServer({ env, clock, wrapStore, openStore: () => PostgresStore.open(url) });
      return {
        server,
        stop: async () => {
          await server.close();
          await pg.stop('immediate');
        },
      };
    },
  },
];

for (const backend of backends) {
  describe(`invite links and group DMs: ${backend.name}`, () => {
    let server: TestServer;
    let stop: () => Promise<void>;
    const sockets: ChatClient[] = [];
    before(async () => {
      ({ server, stop } = await backend.start());
    });
    after(async () => {
      for (const s of sockets) s.close();
      await stop();
    });

    const call = (who: AuthAnswer | undefined, path: string, method = 'GET', body?: unknown) =>
      api(server.url, who?.token, path, { method, ...(body !== undefined && { body: JSON.stringify(body) }) });
    const person = (name: string) => guest(server.url, name);
    const connect = async (who: AuthAnswer) => {
      const socket = await ChatClient.connect(server.url, who.token);
      sockets.push(socket);
      return socket;
    };
    /** ann's room, made by her joining it. */
    async function roomOf(owner: AuthAnswer, room: string, visibility: 'public' | 'private' = 'private') {
      const socket = await connect(owner);
      await socket.join(room, visibility);
      return socket;
    }
    const createLink = (who: AuthAnswer | undefined, room: string, body: object = {}) =>
      call(who, `/rooms/${room}/links`, 'POST', body);

    test('the owner of a private room makes links; a member who is not the owner, or anyone else, may not', async () => {
      const [ann, bob, carl] = [await person('Ann'), await person('Bob'), await person('Carl')];
      await roomOf(ann, 'links-own');
      await call(ann, '/rooms/links-own/invites', 'POST', { userId: bob.user.id });
      await (await connect(bob)).join('links-own');

      const made = await createLink(ann, 'links-own', { expiresInMinutes: 60, maxUses: 10 });
      assert.equal(made.status, 201);
      const link = made.body.link as InviteLink;
      assert.match(link.code ?? '', /^[A-Za-z0-9_-]{24}$/);
      assert.equal(link.room, 'links-own');
      assert.deepEqual(link.createdBy, ann.user);
      assert.equal(link.maxUses, 10);
      assert.equal(link.uses, 0);
      assert.equal(Date.parse(link.expiresAt ?? '') - Date.parse(link.createdAt), 3_600_000);

      assert.equal((await createLink(bob, 'links-own')).status, 403, 'a member who is not the owner');
      assert.equal((await createLink(carl, 'links-own')).status, 403, 'an outsider');
      assert.equal((await createLink(carl, 'links-nowhere')).status, 403, 'a room that is not there');
      assert.equal((await createLink(undefined, 'links-own')).status, 401);
      assert.equal((await createLink(ann, 'links-own', { maxUses: 0 })).status, 400);
      assert.equal((await createLink(ann, 'links-own', { expiresInMinutes: 'soon' })).status, 400);

      const listed = await call(ann, '/rooms/links-own/links');
      assert.equal(listed.status, 200);
      assert.deepEqual(
        listed.body.links.map((l: InviteLink) => [l.id, l.code]),
        [[link.id, undefined]],
        'the list never shows a code again',
      );
      assert.equal((await call(bob, '/rooms/links-own/links')).status, 403);
    });

    test('in a public room any member makes links and sees its own; a non-member may not; a DM takes none', async () => {
      const [ann, bob, carl] = [await person('Ann'), await person('Bob'), await person('Carl')];
      await roomOf(ann, 'links-pub', 'public');
      await (await connect(bob)).join('links-pub');
      const bobs = await createLink(bob, 'links-pub');
      assert.equal(bobs.status, 201);
      const anns = await createLink(ann, 'links-pub');
      assert.equal((await createLink(carl, 'links-pub')).status, 403, 'not a member (yet)');
      const ids = (answer: { body: { links: InviteLink[] } }) => answer.body.links.map((l) => l.id).sort();
      assert.deepEqual(ids(await call(bob, '/rooms/links-pub/links')), [bobs.body.link.id]);
      assert.deepEqual(ids(await call(ann, '/rooms/links-pub/links')), [anns.body.link.id, bobs.body.link.id].sort());

      const dm = dmRoomName(ann.user.id, bob.user.id);
      await (await connect(ann)).join(dm);
      assert.equal((await createLink(ann, encodeURIComponent(dm))).status, 400);
    });

    test('a link lets a user into a private room, past its invite gate, to read and write there', async () => {
      const [ann, bob] = [await person('Ann'), await person('Bob')];
      const annSocket = await roomOf(ann, 'links-join');
      annSocket.send({ type: 'send', room: 'links-join', clientId: 'before', text: 'said before bob came' });
      await annSocket.next('ack', (f) => f.clientId === 'before');
      const bobSocket = await connect(bob);
      assert.equal(await bobSocket.joinAnswer('links-join'), 'forbidden', 'without the link');
      assert.equal((await call(bob, '/history?room=links-join')).status, 403);

      const { code } = (await createLink(ann, 'links-join')).body.link as InviteLink;
      const preview = await call(bob, `/links/${code}`);
      assert.deepEqual(preview.body, {
        room: 'links-join',
        visibility: 'private',
        members: 1,
        member: false,
        valid: true,
      });
      assert.equal((await call(bob, '/links/AAAAAAAAAAAAAAAAAAAAAAAA')).status, 404);
      assert.equal((await call(bob, '/links/short')).status, 400);
      assert.equal((await call(undefined, `/links/${code}`)).status, 401);

      const joined = await call(bob, `/links/${code}/join`, 'POST');
      assert.deepEqual([joined.status, joined.body], [200, { room: 'links-join' }]);
      assert.equal(await bobSocket.joinAnswer('links-join'), 'joined');
      const history = await call(bob, '/history?room=links-join');
      assert.deepEqual(
        history.body.messages.map((m: { text: string }) => m.text),
        ['said before bob came'],
      );
      assert.equal((await call(bob, `/links/${code}`)).body.member, true);
      assert.equal((await call(ann, '/rooms/links-join/links')).body.links[0].uses, 1);
      assert.equal((await call(bob, '/links/AAAAAAAAAAAAAAAAAAAAAAAA/join', 'POST')).status, 404);
    });

    test('an expired link is refused; one that has not expired yet lets in', async () => {
      const [ann, bob, carl] = [await person('Ann'), await person('Bob'), await person('Carl')];
      await roomOf(ann, 'links-expiry');
      const { code } = (await createLink(ann, 'links-expiry', { expiresInMinutes: 5 })).body.link as InviteLink;
      clock.offset += 4 * 60_000;
      assert.equal((await call(bob, `/links/${code}/join`, 'POST')).status, 200, 'a minute before it expires');
      clock.offset += 2 * 60_000;
      const preview = await call(carl, `/links/${code}`);
      assert.deepEqual([preview.body.valid, preview.body.reason], [false, 'expired']);
      const refused = await call(carl, `/links/${code}/join`, 'POST');
      assert.equal(refused.status, 403);
      assert.deepEqual(refused.body.error, { code: 'forbidden', message: 'this invite link has expired' });
      assert.equal((await call(ann, '/rooms/links-expiry/links')).body.links.length, 0, 'no longer listed');
      assert.equal((await call(bob, `/links/${code}/join`, 'POST')).status, 200, 'a member is let be');
    });

    test('a link used as many times as it allows is refused; a member joining again takes no use', async () => {
      const [ann, bob, carl] = [await person('Ann'), await person('Bob'), await person('Carl')];
      await roomOf(ann, 'links-uses');
      const { code } = (await createLink(ann, 'links-uses', { maxUses: 1 })).body.link as InviteLink;
      assert.equal((await call(ann, `/links/${code}/join`, 'POST')).status, 200, 'the owner, a member: no use');
      assert.equal((await call(bob, `/links/${code}/join`, 'POST')).status, 200);
      assert.equal((await call(bob, `/links/${code}/join`, 'POST')).status, 200, 'again: a member');
      const refused = await call(carl, `/links/${code}/join`, 'POST');
      assert.equal(refused.status, 403);
      assert.match(refused.body.error.message, /used as many times/);
      assert.equal((await call(carl, `/links/${code}`)).body.reason, 'used_up');
    });

    test('a user banned from the room is refused by a link and takes no use; unbanned, the link lets them in', async () => {
      const [ann, bob] = [await person('Ann'), await person('Bob')];
      await roomOf(ann, 'links-ban', 'public');
      await (await connect(bob)).join('links-ban');
      assert.equal((await call(ann, '/rooms/links-ban/bans', 'POST', { userId: bob.user.id })).status, 201);
      const { code, id } = (await createLink(ann, 'links-ban', { maxUses: 1 })).body.link as InviteLink;
      const refused = await call(bob, `/links/${code}/join`, 'POST');
      assert.equal(refused.status, 403);
      assert.match(refused.body.error.message, /banned/);
      const listed = (await call(ann, '/rooms/links-ban/links')).body.links as InviteLink[];
      assert.equal(listed.find((l) => l.id === id)?.uses, 0, 'a refused join takes no use');
      assert.equal((await call(ann, `/rooms/links-ban/bans/${bob.user.id}`, 'DELETE')).status, 204);
      assert.equal((await call(bob, `/links/${code}/join`, 'POST')).status, 200);
    });

    test('concurrent joins by a one-use link: exactly one new member', async () => {
      const ann = await person('Ann');
      await roomOf(ann, 'links-race');
      const { code } = (await createLink(ann, 'links-race', { maxUses: 1 })).body.link as InviteLink;
      const people = await Promise.all(Array.from({ length: 8 }, (_, i) => person(`P${i}`)));
      const answers = await Promise.all(people.map((p) => call(p, `/links/${code}/join`, 'POST')));
      assert.deepEqual(answers.map((a) => a.status).sort(), [200, 403, 403, 403, 403, 403, 403, 403]);
      const members = await call(ann, '/rooms/links-race/members');
      assert.equal(members.body.members.length, 2);
    });

    test(`a room holds at most ${MAX_USABLE_LINKS} usable links; a revoked or expired one makes room`, async () => {
      const [ann, bob] = [await person('Ann'), await person('Bob')];
      await roomOf(ann, 'links-cap', 'public');
      await (await connect(bob)).join('links-cap');
      const made: InviteLink[] = [];
      for (let i = 0; i < MAX_USABLE_LINKS - 1; i++) made.push((await createLink(ann, 'links-cap')).body.link);
      const brief = (await createLink(bob, 'links-cap', { expiresInMinutes: 1 })).body.link as InviteLink;
      const full = await createLink(bob, 'links-cap');
      assert.equal(full.status, 400, 'another member is refused too: the bound is the room’s');
      assert.match(full.body.error.message, /revoke one first/);
      assert.equal((await call(ann, `/rooms/links-cap/links/${made[0]?.id}`, 'DELETE')).status, 204);
      assert.equal((await createLink(bob, 'links-cap')).status, 201, 'a revoked one makes room');
      assert.equal((await createLink(ann, 'links-cap')).status, 400);
      clock.offset += 2 * 60_000;
      assert.equal((await createLink(ann, 'links-cap')).status, 201, `${brief.id} expired and makes room`);
    });

    test('a room’s dead links do not pile up: 300 made and revoked leave a bounded table, listing and joins as before', async () => {
      const [ann, bob, carl] = [await person('Ann'), await person('Bob'), await person('Carl')];
      await roomOf(ann, 'links-churn', 'public');
      await (await connect(bob)).join('links-churn');
      const first = (await createLink(ann, 'links-churn')).body.link as InviteLink;
      assert.equal((await call(ann, `/rooms/links-churn/links/${first.id}`, 'DELETE')).status, 204);
      const kept = (await createLink(ann, 'links-churn', { maxUses: 5 })).body.link as InviteLink;
      let last: InviteLink | undefined;
      for (let i = 0; i < 300; i++) {
        const made = await createLink(bob, 'links-churn');
        assert.equal(made.status, 201, `link ${i}`);
        last = made.body.link as InviteLink;
        assert.equal((await call(bob, `/rooms/links-churn/links/${last.id}`, 'DELETE')).status, 204);
      }

      const store = opened;
      assert.ok(store instanceof SqlStore);
      const { rows } = await sql<{ n: number | string }>`select count(*) as n from invite_links
        where room = 'links-churn'`.execute(store.db);
      // The last creation kept the dead links made last, then added one, revoked since; and the usable one.
      assert.equal(Number(rows[0]?.n), KEPT_DEAD_LINKS + 2);
      assert.ok(Number(rows[0]?.n) <= MAX_USABLE_LINKS + KEPT_DEAD_LINKS);

      assert.deepEqual(
        ((await call(ann, '/rooms/links-churn/links')).body.links as InviteLink[]).map((l) => l.id),
        [kept.id],
      );
      assert.deepEqual((await call(bob, '/rooms/links-churn/links')).body.links, []);
      const revoked = await call(carl, `/links/${last?.code}/join`, 'POST');
      assert.deepEqual(
        [revoked.status, revoked.body.error],
        [403, { code: 'forbidden', message: 'this invite link was revoked' }],
      );
      assert.equal((await call(carl, `/links/${last?.code}`)).body.reason, 'revoked');
      const gone = await call(carl, `/links/${first.code}/join`, 'POST');
      assert.deepEqual(
        [gone.status, gone.body.error],
        [404, { code: 'not_found', message: 'no such invite link' }],
        'a dead link deleted since answers as one never made',
      );
      assert.equal((await call(carl, `/links/${first.code}`)).status, 404);
      assert.equal((await call(carl, `/links/${kept.code}/join`, 'POST')).status, 200, 'the usable link lets in');
      assert.equal((await call(ann, '/rooms/links-churn/links')).body.links[0].uses, 1);
    });

    test('a revoked link is refused; only the owner or its maker may revoke', async () => {
      const [ann, bob, carl] = [await person('Ann'), await person('Bob'), await person('Carl')];
      await roomOf(ann, 'links-revoke', 'public');
      await (await connect(bob)).join('links-revoke');
      const anns = (await createLink(ann, 'links-revoke')).body.link as InviteLink;
      const bobs = (await createLink(bob, 'links-revoke')).body.link as InviteLink;
      assert.equal((await call(bob, `/rooms/links-revoke/links/${anns.id}`, 'DELETE')).status, 403, 'not its maker');
      assert.equal((await call(carl, `/rooms/links-revoke/links/${bobs.id}`, 'DELETE')).status, 403);
      assert.equal((await call(ann, `/rooms/links-revoke/links/nosuchlink`, 'DELETE')).status, 404);
      assert.equal((await call(ann, `/rooms/lobby/links/${anns.id}`, 'DELETE')).status, 404, 'another room');
      assert.equal((await call(bob, `/rooms/links-revoke/links/${bobs.id}`, 'DELETE')).status, 204, 'its maker');
      assert.equal((await call(ann, `/rooms/links-revoke/links/${anns.id}`, 'DELETE')).status, 204, 'the owner');
      const refused = await call(carl, `/links/${anns.code}/join`, 'POST');
      assert.deepEqual([refused.status, refused.body.error.message], [403, 'this invite link was revoked']);
      assert.equal((await call(carl, `/links/${bobs.code}`)).body.reason, 'revoked');
      assert.deepEqual((await call(ann, '/rooms/links-revoke/links')).body.links, []);
    });

    test('a group DM of three: all see it at once, messages reach all three, outsiders may not join or read', async () => {
      const [ann, bob, carl, dave] = [
        await person('Ann'),
        await person('Bob'),
        await person('Carl'),
        await person('Dave'),
      ];
      const [bobSocket, carlSocket] = [await connect(bob), await connect(carl)];
      const made = await call(ann, '/group-dms', 'POST', { userIds: [bob.user.id, carl.user.id] });
      assert.equal(made.status, 201);
      const room = made.body.room as string;
      assert.match(room, /^gdm:[a-z0-9]{20}$/);
      assert.deepEqual(
        made.body.participants.map((u: { id: string }) => u.id),
        [ann.user.id, bob.user.id, carl.user.id].sort(),
      );
      for (const socket of [bobSocket, carlSocket]) {
        const invited = await socket.next('invited', (f) => f.room === room);
        assert.deepEqual(invited.by, ann.user);
      }
      for (const who of [ann, bob, carl]) {
        const rooms = (await call(who, '/rooms')).body.rooms as Array<{ name: string; members: number }>;
        assert.equal(rooms.find((r) => r.name === room)?.members, 3);
        assert.deepEqual(
          (await call(who, '/group-dms')).body.groupDms.map((g: { room: string }) => g.room),
          [room],
        );
      }
      assert.deepEqual(
        (await call(dave, '/rooms')).body.rooms.filter((r: { name: string }) => r.name === room),
        [],
      );

      const annSocket = await connect(ann);
      for (const socket of [annSocket, bobSocket, carlSocket]) assert.equal(await socket.joinAnswer(room), 'joined');
      annSocket.send({ type: 'send', room, clientId: 'gdm-1', text: 'hello both' });
      await annSocket.next('ack', (f) => f.clientId === 'gdm-1');
      for (const socket of [annSocket, bobSocket, carlSocket]) {
        const frame = await socket.next('message', (f) => f.message.room === room);
        assert.equal(frame.message.text, 'hello both');
      }

      const daveSocket = await connect(dave);
      assert.equal(await daveSocket.joinAnswer(room), 'forbidden');
      assert.equal(await daveSocket.joinAnswer('gdm:nosuchgroupdm'), 'forbidden', 'no group DM is made by a join');
      assert.equal((await call(dave, `/history?room=${encodeURIComponent(room)}`)).status, 403);
      assert.equal((await call(bob, `/history?room=${encodeURIComponent(room)}`)).status, 200);
      const invite = await call(ann, `/rooms/${encodeURIComponent(room)}/invites`, 'POST', { userId: dave.user.id });
      assert.equal(invite.status, 400, 'the people are fixed');
      assert.equal((await createLink(ann, encodeURIComponent(room))).status, 400, 'no links');

      // Leaving is the one power; a participant may come back.
      assert.equal((await call(carl, `/rooms/${encodeURIComponent(room)}/members/me`, 'DELETE')).status, 204);
      assert.equal((await call(carl, `/history?room=${encodeURIComponent(room)}`)).status, 403);
      assert.equal(await carlSocket.joinAnswer(room), 'joined');
      const remove = await call(ann, `/rooms/${encodeURIComponent(room)}/members/${bob.user.id}`, 'DELETE');
      assert.equal(remove.status, 403, 'no owner: no one removes another');
    });

    test('a client on another allowed origin may revoke (DELETE passes CORS); a foreign one may not', async () => {
      const preflight = (origin: string) =>
        fetch(`${server.url}/rooms/r/links/x`, {
          method: 'OPTIONS',
          headers: { origin, 'access-control-request-method': 'DELETE' },
        });
      const allowed = await preflight(webOrigin);
      assert.match(allowed.headers.get('access-control-allow-methods') ?? '', /DELETE/);
      assert.equal(allowed.headers.get('access-control-allow-origin'), webOrigin);
      const foreign = await preflight('http://elsewhere.example');
      assert.equal(foreign.headers.get('access-control-allow-origin'), null);
    });

    test('a group DM takes 3 to 8 people; the same set again gives the same room; unknown users are not found', async () => {
      const people = await Promise.all(Array.from({ length: 9 }, (_, i) => person(`G${i}`)));
      const [first, ...rest] = people as [AuthAnswer, ...AuthAnswer[]];
      const ids = (list: AuthAnswer[]) => list.map((p) => p.user.id);
      const make = (who: AuthAnswer, userIds: string[]) => call(who, '/group-dms', 'POST', { userIds });

      assert.equal((await make(first, ids(rest.slice(0, 1)))).status, 400, 'two people: a DM, not a group');
      assert.equal((await make(first, [...ids(rest.slice(0, 1)), first.user.id])).status, 400, 'oneself counts once');
      assert.equal((await make(first, ids(rest))).status, 400, 'nine people');
      assert.equal((await make(first, [])).status, 400);
      assert.equal((await make(first, [rest[0]!.user.id, 'nosuchuser'])).status, 404);
      const eight = await make(first, ids(rest.slice(0, 7)));
      assert.equal(eight.status, 201, 'eight people');
      assert.equal(eight.body.participants.length, 8);

      const three = await make(first, ids(rest.slice(0, 2)));
      assert.equal(three.status, 201);
      const again = await make(rest[1]!, [rest[0]!.user.id, first.user.id]);
      assert.equal(again.status, 201);
      assert.equal(again.body.room, three.body.room, 'the same three people, asked by another of them');
      assert.notEqual(eight.body.room, three.body.room);
    });
  });
}
