import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import type { Message } from '@pockychat/protocol';
import { PostgresStore } from '../src/storage/postgres/postgres-store.ts';
import { SqliteStore } from '../src/storage/sqlite/sqlite-store.ts';
import { archivedTables, unarchivedTables } from '../src/storage/archive/tables.ts';
import { ChatClient, api, guest } from './helpers/clients.ts';
import { PASSWORD, login, register, uniqueEmail } from './helpers/accounts.ts';
import { createDatabase, startPostgres, type PostgresServer } from './helpers/services.ts';
import { startTestServer, tempDataDir, type TestServer } from './helpers/test-server.ts';
import { download, upload } from './helpers/uploads.ts';

/**
 * `npm run export` and `npm run import`, run as the commands they are, on a
 * chat with every kind of row: accounts and guests, public and invite-only
 * rooms, a DM, pending invites, invite links, edits, deletes, replies,
 * mentions, reactions and files. The import into a fresh SQLite and a fresh
 * PostgreSQL server shows the same history (seqs, revs, changes), the same
 * file bytes, accounts that still sign in, and rooms that go on counting.
 */

const run = promisify(execFile);
const tool = (name: string) => path.resolve(import.meta.dirname, `../src/tools/${name}.ts`);

async function archiveCommand(name: 'export' | 'import', file: string, env: Record<string, string>) {
  return run(process.execPath, [tool(name), file], { env: { ...process.env, LOG_LEVEL: 'silent', ...env } });
}

interface Fixture {
  email: string;
  rooms: string[];
  files: Map<string, Buffer>;
  /** An invite link's code still usable, and a revoked one's. */
  codes: { usable: string; revoked: string };
}

/** A chat with every kind of row; returns what to compare after the round trip. */
async function populate(url: string): Promise<Fixture> {
  const email = uniqueEmail('owner');
  const ann = await register(url, { email, name: 'Ann' });
  const bob = await guest(url, 'Bob');
  const a = await ChatClient.connect(url, ann.token);
  const b = await ChatClient.connect(url, bob.token);
  let n = 0;
  const say = async (c: ChatClient, room: string, text: string, extra: object = {}) => {
    const clientId = `c${++n}`;
    c.send({ type: 'send', room, clientId, text, ...extra });
    return (await c.next('ack', (f) => f.clientId === clientId)).message;
  };
  const change = async (c: ChatClient, frame: object) => {
    const id = `r${++n}`;
    c.send({ ...frame, id });
    await c.next('ok', (f) => f.id === id);
  };

  await a.join('lobby');
  await b.join('lobby');
  await a.join('ops', 'private');
  await api(url, ann.token, '/rooms/ops/invites', { method: 'POST', body: JSON.stringify({ userId: bob.user.id }) });
  await api(url, ann.token, '/rooms/ops/invites', {
    method: 'POST',
    body: JSON.stringify({ email: uniqueEmail('later') }),
  });
  await b.join('ops');
  await a.join('town', 'public');
  await b.join('town');

  const hello = await say(a, 'lobby', 'hello **world**');
  const reply = await say(b, 'lobby', 'hi Ann', { replyTo: hello.id, mentions: [ann.user.id] });
  await change(a, { type: 'react', room: 'lobby', messageId: reply.id, emoji: '👍' });
  await change(b, { type: 'like', room: 'lobby', messageId: hello.id });
  await change(a, { type: 'edit', room: 'lobby', messageId: hello.id, text: 'hello, edited' });
  const gone = await say(b, 'lobby', 'oops');
  await change(b, { type: 'delete', room: 'lobby', messageId: gone.id });
  for (let i = 0; i < 30; i++) await say(i % 2 ? a : b, 'ops', `ops message ${i}`);
  // Read markers and the mention index travel too: GET /rooms counts the same after an import.
  await change(a, { type: 'read', room: 'ops', seq: 10 });
  await say(a, 'town', 'nobody here yet');

  const files = new Map<string, Buffer>();
  for (const [room, size] of [
    ['ops', 200_000],
    ['lobby', 3],
  ] as const) {
    const bytes = randomBytes(size);
    const sent = await upload(url, ann.token, room, bytes, { clientId: `f${room}`, name: `${room}.bin` });
    assert.equal(sent.status, 201, JSON.stringify(sent.body));
    files.set((sent.body as { message: Message }).message.file!.url, bytes);
  }
  const doomed = await upload(url, bob.token, 'ops', randomBytes(10), { clientId: 'fdoomed', name: 'x.bin' });
  await change(b, { type: 'delete', room: 'ops', messageId: (doomed.body as { message: Message }).message.id });

  const dm = `dm:${[ann.user.id, bob.user.id].sort().join(':')}`;
  await b.join(dm);
  await say(b, dm, 'psst');
  // Moderation (0007-team): a moderator, a mute, a ban, and their audit log.
  const team = (method: string, path: string, body?: object) =>
    api(url, ann.token, path, { method, ...(body && { body: JSON.stringify(body) }) });
  assert.equal((await team('PUT', `/rooms/ops/moderators/${bob.user.id}`)).status, 204);
  assert.equal((await team('POST', '/rooms/ops/mutes', { userId: bob.user.id, minutes: 600 })).status, 201);
  assert.equal((await team('POST', '/rooms/town/bans', { userId: bob.user.id })).status, 201);
  // Invite links (0008): one usable, one revoked; only their code hashes travel.
  const makeLink = async (body: object) =>
    (await team('POST', '/rooms/ops/links', body)).body.link as { id: string; code: string };
  const usable = await makeLink({ maxUses: 5 });
  const revoked = await makeLink({});
  assert.equal((await team('DELETE', `/rooms/ops/links/${revoked.id}`)).status, 204);
  a.close();
  b.close();
  return { email, rooms: ['lobby', 'ops', 'town', dm], files, codes: { usable: usable.code, revoked: revoked.code } };
}

/** Everything a client can see of the chat, as the account sees it. */
async function snapshot(url: string, fixture: Fixture) {
  const signedIn = await login(url, fixture.email, PASSWORD);
  assert.equal(signedIn.status, 200, 'the account signs in with its old password');
  const token = (signedIn.body as { token: string }).token;
  const rooms = (await api(url, token, '/rooms')).body;
  const history: Record<string, unknown> = {};
  for (const room of fixture.rooms) {
    history[room] = (await api(url, token, `/history?room=${encodeURIComponent(room)}&changedSince=0&limit=500`)).body;
  }
  // Presence (`status`) is live, not archived.
  const listed = (await api(url, token, '/rooms/ops/members')).body;
  const members = { ...listed, members: listed.members.map(({ status: _, ...member }: { status?: string }) => member) };
  const moderation = {
    ops: (await api(url, token, '/rooms/ops/moderation')).body,
    town: (await api(url, token, '/rooms/town/moderation')).body,
    audit: [(await api(url, token, '/rooms/ops/audit')).body, (await api(url, token, '/rooms/town/audit')).body],
  };
  assert.equal(moderation.town.bans.length, 1, 'the ban is there');
  assert.equal(moderation.ops.mutes.length, 1, 'the mute is there');
  assert.equal(moderation.audit[0].entries.length, 2, 'the audit log is there');
  const links = {
    ops: (await api(url, token, '/rooms/ops/links')).body,
    usable: (await api(url, token, `/links/${fixture.codes.usable}`)).body,
    revoked: (await api(url, token, `/links/${fixture.codes.revoked}`)).body,
  };
  assert.equal(links.ops.links.length, 1, 'the usable link is listed');
  assert.equal(links.revoked.reason, 'revoked', 'the revoked link is still known, and refuses');
  const bytes = new Map<string, Buffer>();
  for (const fileUrl of fixture.files.keys()) bytes.set(fileUrl, (await download(url, token, fileUrl)).bytes);
  return { token, view: { user: signedIn.body.user, rooms, history, members, moderation, links }, bytes };
}

describe('export and import', () => {
  let pg: PostgresServer;
  let source: TestServer;
  let fixture: Fixture;
  let archive: string;
  let before_: Awaited<ReturnType<typeof snapshot>>;

  before(async () => {
    pg = await startPostgres();
    source = await startTestServer();
    fixture = await populate(source.url);
    before_ = await snapshot(source.url, fixture);
    archive = path.join(tempDataDir(), 'chat.tar.gz');
    // While the server runs: the export reads one snapshot.
    const { stdout } = await archiveCommand('export', archive, { DATA_DIR: source.dataDir });
    assert.match(stdout, /exported 38 messages, 4 rooms, 2 users and 2 files/);
  });
  after(async () => {
    await source?.close();
    await pg?.stop('immediate');
  });

  const targets = [
    { name: 'SQLite', database: async () => undefined },
    { name: 'PostgreSQL', database: () => createDatabase(pg, `import_${randomBytes(4).toString('hex')}`) },
  ];
  for (const target of targets) {
    test(`round trip into a fresh ${target.name} server: the same history, seqs, revs and file bytes`, async () => {
      const dataDir = tempDataDir();
      const databaseUrl = await target.database();
      const env: Record<string, string> = { DATA_DIR: dataDir, ...(databaseUrl && { DATABASE_URL: databaseUrl }) };
      const { stdout } = await archiveCommand('import', archive, env);
      assert.match(stdout, /imported 38 messages/);
      const server = await startTestServer({
        dataDir,
        ...(databaseUrl && { openStore: () => PostgresStore.open(databaseUrl) }),
      });
      try {
        const after_ = await snapshot(server.url, fixture);
        assert.deepEqual(after_.view, before_.view);
        for (const [fileUrl, bytes] of fixture.files) assert.ok(after_.bytes.get(fileUrl)?.equals(bytes), fileUrl);

        // The rooms go on: the next message takes the next seq and rev (PostgreSQL: the serials moved on too).
        const c = await ChatClient.connect(server.url, after_.token);
        await c.join('ops');
        c.send({ type: 'send', room: 'ops', clientId: 'after-import', text: 'still here' });
        const { message } = await c.next('ack', (f) => f.clientId === 'after-import');
        const ops = before_.view.history.ops as { messages: Message[]; lastRev: number };
        assert.equal(message.seq, Math.max(...ops.messages.map((m) => m.seq)) + 1);
        assert.equal(message.rev, ops.lastRev + 1);
        c.close();

        // The usable link's code lets a newcomer in on the new server, and takes a use there.
        const dan = await guest(server.url, 'Dan');
        const joined = await api(server.url, dan.token, `/links/${fixture.codes.usable}/join`, { method: 'POST' });
        assert.deepEqual([joined.status, joined.body], [200, { room: 'ops' }]);
        assert.equal((await api(server.url, after_.token, '/rooms/ops/links')).body.links[0].uses, 1);

        // Twice is refused: the target is no longer fresh.
        await assert.rejects(archiveCommand('import', archive, env), /not fresh/);

        // And back out of this database into a fresh SQLite one: the same again.
        const again = path.join(tempDataDir(), 'again.tar.gz');
        await archiveCommand('export', again, env);
        const thirdDir = tempDataDir();
        await archiveCommand('import', again, { DATA_DIR: thirdDir });
        const third = await startTestServer({ dataDir: thirdDir });
        try {
          const view = (await snapshot(third.url, fixture)).view;
          const opsAfter = view.history.ops as { messages: Message[] };
          assert.equal(opsAfter.messages.at(-1)?.text, 'still here');
          assert.deepEqual(view.rooms, (await snapshot(server.url, fixture)).view.rooms);
        } finally {
          await third.close();
        }
      } finally {
        await server.close();
      }
    });
  }

  test('an archive is refused when it is not one, and nothing is left behind', async () => {
    const dataDir = tempDataDir();
    const bogus = path.join(dataDir, 'bogus.tar.gz');
    const { writeFile } = await import('node:fs/promises');
    await writeFile(bogus, randomBytes(100));
    await assert.rejects(archiveCommand('import', bogus, { DATA_DIR: dataDir }), /pockychat import:/);
    await assert.rejects(
      archiveCommand('import', path.join(dataDir, 'absent.tar.gz'), { DATA_DIR: dataDir }),
      /ENOENT/,
    );
    const store = await SqliteStore.open(path.join(dataDir, 'pockychat.sqlite'));
    const users = await store.db
      .selectFrom('users')
      .select(sql<number>`count(*)`.as('n'))
      .executeTakeFirstOrThrow();
    assert.equal(Number(users.n), 0);
    await store.close();
  });

  test('every table of the schema is archived or left out on purpose', async () => {
    const store = await SqliteStore.open(path.join(tempDataDir(), 'tables.db'));
    const { rows } = await sql<{ name: string }>`select name from sqlite_master
      where type = 'table' and name not like 'sqlite_%'`.execute(store.db);
    await store.close();
    const known = new Set([...archivedTables.map((t) => t.name), ...unarchivedTables]);
    assert.deepEqual(
      rows.map((r) => r.name).filter((name) => !known.has(name)),
      [],
      'add the new table to storage/archive/tables.ts',
    );
  });
});
