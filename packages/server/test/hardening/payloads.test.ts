import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { AuthAnswer } from '@pockychat/protocol';
import { createApp, type App } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { LocalFanout } from '../../src/fanout/local-fanout.ts';
import { createLogger } from '../../src/logger.ts';
import { PostgresStore } from '../../src/storage/postgres/postgres-store.ts';
import { SqliteStore } from '../../src/storage/sqlite/sqlite-store.ts';
import { ChatClient, api, guest } from '../helpers/clients.ts';
import { RawSocket } from '../helpers/raw-socket.ts';
import { createDatabase, startPostgres, type PostgresServer } from '../helpers/services.ts';
import { tempDataDir } from '../helpers/test-server.ts';
import { waitFor } from '../helpers/wait-for.ts';
import { recordFigures } from './helpers/figures.ts';

/** Text that must come back exactly as sent, code unit for code unit, from either database. */
const storable: Array<[string, string]> = [
  ['RTL override', 'abc\u202Egnp.exe\u202C done'],
  ['bidi isolates', '\u2066x\u2069\u2067y\u2069\u2068z\u2069'],
  ['zero-width and BOM', 'a\u200Bb\u200Dc\uFEFFd'],
  ['emoji ZWJ sequence', '👩‍👩‍👧‍👦 🏳️‍🌈'],
  ['astral, up to U+10FFFF', '𝕳𝖊𝖑𝖑𝖔 \u{10FFFF} \u{1F600}'],
  ['noncharacters U+FFFE U+FFFF', 'x\uFFFE\uFFFFy'],
  ['combining marks (zalgo)', 'Z̷̧̛̖̫̜͎̈́̅a̸̡̛̭̓l̶̨̪̈́g̵̢͇̈́o̶͍͐'],
  ['C0/C1 controls but NUL', '\u0001\u0007\u001B[31m\u007F\u0085\u009B'],
  ['line and paragraph separators', 'a\u2028b\u2029c\r\nd\te'],
  ['HTML and script', '<img src=x onerror=alert(1)><script>alert(1)</script>'],
  ['SQL', '\'; DROP TABLE messages; -- " OR 1=1 /*'],
  ['SQL LIKE and escapes', '%_\\%\\_\\\\ \\x00 \\u0000'],
  ['JSON-looking', '{"__proto__":{"polluted":1},"constructor":{"prototype":{}}}'],
  ['prototype words', '__proto__ constructor prototype toString'],
  ['4,000 code units of astral pairs', '😀'.repeat(2000)],
  ['a single space', ' '],
];

/** Text refused with bad_request by both databases, and stored by neither. */
const refused: Array<[string, string]> = [
  ['lone high surrogate', 'a\uD800b'],
  ['lone low surrogate', 'a\uDC00b'],
  ['reversed pair', '\uDE00\uD83D'],
  ['NUL', 'a\u0000b'],
  ['empty', ''],
  ['4,001 code units', 'x'.repeat(4001)],
  ['4,001 units ending in half a pair', `${'😀'.repeat(2000)}\uD83D`],
];

/** Frames that are not what they claim: each gets bad_request, joins and stores nothing. */
const badFrames: Array<[string, string]> = [
  [
    '10,000 nested arrays as text',
    `{"type":"send","room":"lobby","clientId":"deep","text":${'['.repeat(10_000)}${']'.repeat(10_000)}}`,
  ],
  ['30,000 nested arrays (parser depth)', `${'['.repeat(30_000)}${']'.repeat(30_000)}`],
  ['10,000 nested objects', `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`],
  ['room as an array', '{"type":"join","room":["lobby"]}'],
  ['room as an object', '{"type":"join","room":{"toString":"lobby"}}'],
  ['type as a number', '{"type":1,"room":"lobby"}'],
  ['text as a number', '{"type":"send","room":"lobby","clientId":"n1","text":123}'],
  ['clientId as an array', '{"type":"send","room":"lobby","clientId":["a"],"text":"x"}'],
  ['visibility in capitals', '{"type":"join","room":"caps-room","visibility":"PUBLIC"}'],
  ['messageId as an object', '{"type":"like","room":"lobby","messageId":{"$gt":""}}'],
  ['text only in __proto__', '{"type":"send","room":"lobby","clientId":"proto-text","__proto__":{"text":"injected"}}'],
  ['room only in constructor.prototype', '{"type":"join","constructor":{"prototype":{"room":"lobby"}}}'],
  ['room `*`', '{"type":"join","room":"*"}'],
  ['room `a b`', '{"type":"join","room":"a b"}'],
  ['room `(*`', '{"type":"join","room":"(*"}'],
  ['room `__proto__`', '{"type":"join","room":"__proto__"}'],
  ['room in full-width letters', '{"type":"join","room":"ｌｏｂｂｙ"}'],
  ['room `lobby;drop`', '{"type":"join","room":"lobby;drop table rooms"}'],
  ['room with a NUL', '{"type":"join","room":"lobby\\u0000"}'],
  ['dm room with a wildcard', '{"type":"join","room":"dm:*:*"}'],
];

/** /history queries: the status each must get. */
const historyQueries: Array<[string, number]> = [
  ['room=lobby&since=999999999999999', 200],
  ['room=lobby&since=9999999999999999', 400],
  ['room=lobby&since=1%20OR%201=1', 400],
  ["room=lobby&since=1'%20OR%20'1'='1", 400],
  ['room=lobby&since=-1', 400],
  ['room=lobby&since=1e3', 400],
  ['room=lobby&since=0x10', 400],
  ['room=lobby&since=NaN', 400],
  ['room=lobby&since=9999-12-31T23:59:59Z', 200],
  // A day that does not exist (Date.parse alone would roll it over to 2 March).
  ['room=lobby&since=2026-02-30T00:00:00Z', 400],
  ['room=lobby&since=2026-13-01T00:00:00Z', 400],
  ['room=lobby&before=999999999999999', 200],
  ['room=lobby&since=1&since=2', 400],
  ['room=lobby&room=other', 400],
  ['room=lobby&limit=0', 400],
  ['room=lobby&limit=501', 400],
  ['room=lobby&before=0', 200],
  ['room=lobby&before=1', 200],
  ['room=*', 400],
  ['room=a%20b', 400],
  ['room=(*', 400],
  ['room=lobby%00', 400],
  ['room=constructor', 200],
  ['room=valueof', 403],
  ['room=__proto__', 400],
];

interface Served {
  url: string;
  app: App;
  close(): Promise<void>;
}

async function serve(database: { kind: 'sqlite' } | { kind: 'postgres'; url: string }): Promise<Served> {
  const dataDir = tempDataDir();
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    RATE_LIMIT_MESSAGES: '1000',
    ...(database.kind === 'postgres' && { DATABASE_URL: database.url }),
  });
  const store =
    database.kind === 'postgres' ? await PostgresStore.open(database.url) : await SqliteStore.open(config.sqlitePath);
  const app = await createApp({ config, log: createLogger('silent'), store, fanout: new LocalFanout() });
  const url = (await app.listen()).replace('localhost', '127.0.0.1');
  return { url, app, close: () => app.close() };
}

type Outcome = { stored: string } | { refused: string };

describe('hardening: application payloads, the same table on SQLite and PostgreSQL', () => {
  let pg: PostgresServer;
  const servers = new Map<string, Served>();
  const outcomes = new Map<string, Map<string, Outcome | number>>();
  let tried = 0;
  const started = Date.now();

  before(async () => {
    pg = await startPostgres();
    servers.set('sqlite', await serve({ kind: 'sqlite' }));
    servers.set('postgres', await serve({ kind: 'postgres', url: await createDatabase(pg, 'hardening_payloads') }));
  });
  after(async () => {
    for (const server of servers.values()) await server.close();
    await pg.stop('immediate');
  });

  for (const kind of ['sqlite', 'postgres']) {
    describe(kind, () => {
      let server: Served;
      let attacker: AuthAnswer;
      let bystander: ChatClient;
      let listener: ChatClient;
      let n = 0;
      const results = new Map<string, Outcome | number>();

      before(async () => {
        server = servers.get(kind) as Served;
        outcomes.set(kind, results);
        const [a, b, c] = await Promise.all(['Mallory', 'Bob', 'Cat'].map((name) => guest(server.url, name)));
        attacker = a as AuthAnswer;
        bystander = await ChatClient.connect(server.url, (b as AuthAnswer).token);
        listener = await ChatClient.connect(server.url, (c as AuthAnswer).token);
        await bystander.join('lobby');
        await listener.join('lobby');
        await bystander.join('constructor', 'public');
      });
      after(() => {
        bystander.close();
        listener.close();
      });

      /** A fresh raw connection in the lobby: a hostile client is closed after 30 refusals, so each gets its own. */
      async function raw(): Promise<RawSocket> {
        const socket = await RawSocket.connect(server.url, attacker.token);
        socket.send({ type: 'join', room: 'lobby' });
        await socket.next('joined');
        return socket;
      }

      async function bystanderStillServed(): Promise<void> {
        const clientId = `bystander-${++n}`;
        bystander.send({ type: 'send', room: 'lobby', clientId, text: clientId });
        await bystander.next('ack', (f) => f.clientId === clientId);
        await listener.next('message', (f) => f.message.text === clientId);
      }

      async function sendText(text: string): Promise<Outcome> {
        const socket = await raw();
        const clientId = `payload-${++n}`;
        socket.send({ type: 'send', room: 'lobby', clientId, text });
        await waitFor(
          () =>
            socket.of('ack').some((f) => f.clientId === clientId) || socket.of('error').some((f) => f.ref === clientId),
        );
        const answer = socket.of('error').find((f) => f.ref === clientId);
        const ack = socket.of('ack').find((f) => f.clientId === clientId);
        socket.close();
        if (ack) {
          const { body } = await api(
            server.url,
            attacker.token,
            `/history?room=lobby&since=${ack.message.seq - 1}&limit=1`,
          );
          assert.equal(ack.message.text, body.messages[0].text, 'the ack and the history agree');
          return { stored: body.messages[0].text };
        }
        return { refused: answer?.code ?? 'no answer' };
      }

      test('storable text comes back byte-identical: in the ack, the broadcast and history', async () => {
        for (const [what, text] of storable) {
          tried++;
          const outcome = await sendText(text);
          results.set(`text: ${what}`, outcome);
          assert.deepEqual(outcome, { stored: text }, what);
          assert.equal(
            Buffer.from(outcome.stored, 'utf16le').toString('hex'),
            Buffer.from(text, 'utf16le').toString('hex'),
          );
          await listener.next('message', (f) => f.message.text === text);
        }
        await bystanderStillServed();
      });

      test('lone surrogates, NUL, empty and over-long text are refused, and nothing is stored', async () => {
        const { body: before } = await api(server.url, attacker.token, '/history?room=lobby&before=999999999&limit=1');
        for (const [what, text] of refused) {
          tried++;
          const outcome = await sendText(text);
          results.set(`text: ${what}`, outcome);
          assert.deepEqual(outcome, { refused: 'bad_request' }, what);
        }
        const { body: afterwards } = await api(
          server.url,
          attacker.token,
          '/history?room=lobby&before=999999999&limit=1',
        );
        assert.deepEqual(afterwards.messages, before.messages, 'no new message');
        await bystanderStillServed();
      });

      test('deep nesting, wrong types, prototype keys and bad room names: bad_request, nothing joined or polluted', async () => {
        const roomsNow = () => [...server.app.realtime.primus.adapter.get(null)].sort();
        const roomsBefore = roomsNow();
        for (const [what, frame] of badFrames) {
          tried++;
          const socket = await raw();
          socket.sendText(frame);
          const error = await socket.next('error');
          results.set(`frame: ${what}`, { refused: error.code });
          assert.equal(error.code, 'bad_request', what);
          assert.equal(socket.of('joined').length, 1, `${what}: nothing joined but the lobby`);
          assert.equal(socket.of('ack').length, 0, `${what}: nothing stored`);
          assert.ok(socket.open, `${what}: one bad frame does not close the connection`);
          socket.close();
        }
        assert.equal(({} as Record<string, unknown>).polluted, undefined);
        assert.equal(({} as Record<string, unknown>).room, undefined);
        assert.equal(({} as Record<string, unknown>).text, undefined);
        await waitFor(() => JSON.stringify(roomsNow()) === JSON.stringify(roomsBefore));
        await bystanderStillServed();
      });

      test('HTTP bodies: 10,000 nested arrays, prototype keys and wrong types are 400; nothing polluted', async () => {
        const bodies: Array<[string, string, string]> = [
          ['/auth/guest', 'nested name', `{"name":${'['.repeat(10_000)}${']'.repeat(10_000)}}`],
          ['/auth/guest', 'parser depth', `${'['.repeat(30_000)}${']'.repeat(30_000)}`],
          ['/auth/guest', 'name only in __proto__', '{"__proto__":{"name":"Eve"}}'],
          ['/auth/guest', 'name as a number', '{"name":42}'],
          ['/rooms/lobby/invites', 'userId in __proto__', '{"__proto__":{"userId":"abc"}}'],
          ['/rooms/lobby/invites', 'userId as an object', '{"userId":{"$ne":null}}'],
          ['/auth/login', 'password as an array', '{"email":"a@b.co","password":["x"]}'],
        ];
        for (const [path, what, body] of bodies) {
          tried++;
          const answer = await api(server.url, attacker.token, path, { method: 'POST', body });
          results.set(`http: ${what}`, answer.status);
          assert.equal(answer.status, 400, `${path} ${what}`);
          assert.equal(answer.body.error.code, 'bad_request');
        }
        assert.equal(({} as Record<string, unknown>).name, undefined);
        assert.equal(({} as Record<string, unknown>).userId, undefined);
        await bystanderStillServed();
      });

      test('/history: huge since values, SQL in since, bad rooms: 400 (or an empty 200), never a 500', async () => {
        for (const [query, status] of historyQueries) {
          tried++;
          const answer = await api(server.url, attacker.token, `/history?${query}`);
          results.set(`history: ${query}`, answer.status);
          assert.equal(answer.status, status, query);
          if (status !== 200) {
            assert.ok(answer.body.error.code, query);
            continue;
          }
          assert.ok(Array.isArray(answer.body.messages), query);
          if (/since=9|before=[01]$/.test(query)) assert.deepEqual(answer.body.messages, [], query);
        }
        await bystanderStillServed();
      });
    });
  }

  test('both databases answered every payload the same way', async () => {
    const sqlite = outcomes.get('sqlite');
    const postgres = outcomes.get('postgres');
    assert.ok(sqlite && postgres && sqlite.size > 0);
    assert.deepEqual([...postgres], [...sqlite]);
    const up = await Promise.all([...servers.values()].map((s) => fetch(`${s.url}/healthz`).then((r) => r.ok)));
    recordFigures({
      scenario: 'payloads-sqlite-postgres',
      title: 'Application payloads (text, frames, bodies, /history), same table on SQLite and PostgreSQL',
      badInputs: tried,
      serverUp: up.every(Boolean),
      durationMs: Date.now() - started,
      details: {
        'payloads per database': sqlite.size,
        'stored byte-identical': [...sqlite.values()].filter((o) => typeof o === 'object' && 'stored' in o).length,
        'answered differently by the two databases': 0,
      },
    });
  });
});
