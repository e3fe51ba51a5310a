import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Message } from '@pockychat/protocol';
import { ChatClient, api, guest } from './helpers/clients.ts';
import { startTestServer, type TestServer } from './helpers/test-server.ts';
import { waitFor } from './helpers/wait-for.ts';

const ROOM = 'history-room';
/** Over the largest page (500), so that every limit is reached. */
const TOTAL = 520;
/** A connection may send at most 200 frames in 10 s (frame guard): spread the sends. */
const CONNECTIONS = 4;

/** GET /history with since (seq or date), before and limit (the plans of its queries: history-plans.test.ts). */
describe('history', () => {
  let server: TestServer;
  let token: string;
  let all: Message[];

  const history = async (query: string): Promise<Message[]> => {
    const answer = await api(server.url, token, `/history?room=${ROOM}&${query}`);
    assert.equal(answer.status, 200, `${query}: ${JSON.stringify(answer.body)}`);
    assert.equal(answer.body.room, ROOM);
    const messages = answer.body.messages as Message[];
    assertAscending(messages);
    return messages;
  };
  const seqs = (messages: Message[]) => messages.map((m) => m.seq);
  const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

  before(async () => {
    server = await startTestServer({ env: { RATE_LIMIT_MESSAGES: '10000' } });
    const ann = await guest(server.url);
    token = ann.token;
    const clients = await Promise.all(range(1, CONNECTIONS).map(() => ChatClient.connect(server.url, token)));
    await clients[0]?.join(ROOM, 'public');
    for (const client of clients.slice(1)) await client.join(ROOM);
    for (let i = 1; i <= TOTAL; i++) {
      clients[i % CONNECTIONS]?.send({ type: 'send', room: ROOM, clientId: `h${i}`, text: `message ${i}` });
    }
    await waitFor(() => clients.reduce((n, c) => n + c.of('ack').length, 0) === TOTAL, {
      timeoutMs: 15_000,
      what: `${TOTAL} acks`,
    });
    for (const client of clients) client.close();
    all = await history('limit=500');
    all.push(...(await history('since=500&limit=500')));
    assert.deepEqual(seqs(all), range(1, TOTAL));
  });
  after(() => server.close());

  test('no since: the first 100 messages (the default limit), ascending', async () => {
    assert.deepEqual(seqs(await history('')), range(1, 100));
  });

  test('limit: at most 500 per page; 1 is accepted', async () => {
    assert.deepEqual(seqs(await history('limit=500')), range(1, 500));
    assert.deepEqual(seqs(await history('limit=1')), [1]);
    assert.deepEqual(seqs(await history('since=0&limit=3')), [1, 2, 3]);
  });

  test('since=<seq>: the messages after that seq, ascending', async () => {
    assert.deepEqual(seqs(await history('since=250&limit=20')), range(251, 270));
    assert.deepEqual(seqs(await history('since=400')), range(401, 500));
    assert.deepEqual(seqs(await history(`since=${TOTAL - 3}`)), range(TOTAL - 2, TOTAL));
    assert.deepEqual(await history(`since=${TOTAL}`), []);
    assert.deepEqual(await history('since=999999999'), []);
  });

  test('since=<ISO date>: the messages with a later date, ascending', async () => {
    const pivot = all[299] as Message;
    const expected = all.filter((m) => m.date > pivot.date).sort((a, b) => cmp(a.date, b.date) || a.seq - b.seq);
    const got = await history(`since=${encodeURIComponent(pivot.date)}&limit=50`);
    assert.deepEqual(
      got.map((m) => m.id),
      expected.slice(0, 50).map((m) => m.id),
    );
    assert.ok(got.every((m) => m.date > pivot.date));

    // The same instant written with an offset means the same thing.
    const shifted = new Date(Date.parse(pivot.date) + 2 * 3600_000).toISOString().replace('Z', '+02:00');
    const viaOffset = await history(`since=${encodeURIComponent(shifted)}&limit=50`);
    assert.deepEqual(
      viaOffset.map((m) => m.id),
      got.map((m) => m.id),
    );

    assert.deepEqual(seqs(await history('since=2000-01-01')), range(1, 100));
    assert.deepEqual(seqs(await history('since=2000-01-01T00:00:00Z&limit=500')), range(1, 500));
    assert.deepEqual(await history(`since=${encodeURIComponent('2999-01-01T00:00:00.000Z')}`), []);
  });

  test('before=<seq>: the newest messages below that seq, still ascending', async () => {
    assert.deepEqual(seqs(await history('before=301&limit=50')), range(251, 300));
    assert.deepEqual(seqs(await history(`before=${TOTAL + 1}`)), range(TOTAL - 99, TOTAL));
    assert.deepEqual(seqs(await history('before=5')), [1, 2, 3, 4]);
    assert.deepEqual(await history('before=1'), []);
    assert.deepEqual(await history('before=0'), []);
  });

  test('paging backwards with before until the start gives every message exactly once', async () => {
    const seen: number[] = [];
    let before = TOTAL + 1;
    for (let pages = 0; ; pages++) {
      assert.ok(pages < 20, 'paging ends');
      const page = await history(`before=${before}&limit=77`);
      if (page.length === 0) break;
      seen.unshift(...seqs(page));
      before = (page[0] as Message).seq;
    }
    assert.deepEqual(seen, range(1, TOTAL));
  });

  test('paging forwards with since gives every message exactly once', async () => {
    const seen: number[] = [];
    let since = 0;
    for (;;) {
      const page = await history(`since=${since}&limit=123`);
      if (page.length === 0) break;
      seen.push(...seqs(page));
      since = (page.at(-1) as Message).seq;
    }
    assert.deepEqual(seen, range(1, TOTAL));
  });

  test('history carries no clientId or clientDate', async () => {
    const [first] = await history('limit=1');
    assert.deepEqual(Object.keys(first as Message).sort(), [
      'author',
      'date',
      'id',
      'likes',
      'mentions',
      'reactions',
      'rev',
      'room',
      'seq',
      'text',
    ]);
  });
});

function assertAscending(messages: Message[]): void {
  for (let i = 1; i < messages.length; i++) {
    assert.ok((messages[i - 1] as Message).seq < (messages[i] as Message).seq, 'messages are in ascending seq order');
  }
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
