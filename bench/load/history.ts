import { closeSync, fsyncSync, mkdtempSync, openSync } from 'node:fs';
import { Agent } from 'node:http';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { DatabaseSync } from 'node:sqlite';
import { Samples, type LatencySummary } from '../stats.ts';
import type { RunContext } from './context.ts';
import { connectOne } from './connect.ts';
import { createGuests, freshAddress, httpCall } from './guests.ts';
import { Tracker } from './tracker.ts';

const ROOM = 'history';

export interface HistoryResult {
  scenario: 'history';
  server: 'pockychat';
  messages: number;
  buildSeconds: number;
  queries: number;
  since: LatencySummary;
  before: LatencySummary;
  cpuUsPerQuery: number;
  serverRssMB: number;
  errors: number;
}

/**
 * Fills a DATA_DIR with one room of `messages` messages: the server creates
 * the schema (migrations), a guest and the room, then stops; the rows go in
 * by direct SQL in one transaction, matching the server's tables.
 */
async function buildDataDir(
  ctx: RunContext,
  messages: number,
): Promise<{ dataDir: string; token: string; seconds: number }> {
  const t0 = performance.now();
  const dataDir = mkdtempSync(path.join(ctx.tmpDir, 'history-'));
  const server = await ctx.start('pockychat', { DATA_DIR: dataDir });
  let token: string;
  let userId: string;
  try {
    [token] = (await createGuests(server.url, 1)) as [string];
    const me = JSON.parse((await httpCall(`${server.url}/me`, { token, localAddress: freshAddress() })).body) as {
      user: { id: string };
    };
    userId = me.user.id;
    const client = await connectOne({ kind: 'pockychat', urls: [server.url], tokens: [token] }, 0, new Tracker(16));
    await client.join(ROOM);
    client.close();
  } finally {
    await server.stop();
  }
  const file = path.join(dataDir, 'pockychat.sqlite');
  const db = new DatabaseSync(file);
  // No journal for the bulk load (one transaction, nothing to recover); the server turns WAL back on.
  db.exec('PRAGMA journal_mode = OFF');
  db.exec('PRAGMA synchronous = OFF');
  db.exec('PRAGMA cache_size = -262144');
  // The rows come from a recursive CTE inside SQLite: a third of the time of a million inserts from JS.
  const start = Date.parse('2024-01-01T00:00:00.000Z') / 1000;
  db.exec('BEGIN');
  db.prepare(
    `with recursive s(seq) as (select 1 union all select seq + 1 from s where seq < ?)
     insert into messages (id, room, seq, rev, author_id, text, date, client_id, client_date, file)
     select printf('h%08x', seq), ?, seq, seq, ?,
            'history message ' || seq || ': the quick brown fox jumps over the lazy dog',
            strftime('%Y-%m-%dT%H:%M:%fZ', ? + seq, 'unixepoch'), printf('h%08x', seq), null, null
     from s`,
  ).run(messages, ROOM, userId, start);
  db.prepare('update rooms set last_seq = ?1, last_rev = ?1 where name = ?2').run(messages, ROOM);
  // Nothing pending for the search index, as on a server that caught up: else the live indexer
  // indexes the million rows while the queries are measured. The index itself is not read by
  // history queries (the search scenario builds and measures one), so it is left out of this room.
  db.exec('update search_pending set from_row = (select max(row_id) + 1 from messages) where id = 1');
  db.exec('COMMIT');
  db.exec('PRAGMA journal_mode = WAL');
  db.close();
  // Written with synchronous=OFF: flush it now, or the kernel writes the
  // 300 MB back while the queries are measured.
  const fd = openSync(file, 'r');
  fsyncSync(fd);
  closeSync(fd);
  return { dataDir, token, seconds: (performance.now() - t0) / 1000 };
}

/** History: p50/p99 of `since` and `before` pages of 100 at random places in a room of 1,000,000 messages. */
export async function historyScenario(ctx: RunContext): Promise<HistoryResult> {
  const { messages, queries, warmup } = ctx.config.history;
  ctx.log(`history: building a room of ${messages} messages`);
  const built = await buildDataDir(ctx, messages);
  ctx.log(`history: built in ${built.seconds.toFixed(1)} s`);
  const server = await ctx.start('pockychat', { DATA_DIR: built.dataDir });
  try {
    let agent = new Agent({ keepAlive: true, maxSockets: 1, localAddress: freshAddress() });
    let calls = 0;
    let errors = 0;
    const query = async (kind: 'since' | 'before', samples?: Samples) => {
      // pockychat allows 600 requests a minute per address: move on before that.
      if (++calls % 500 === 0) {
        agent.destroy();
        agent = new Agent({ keepAlive: true, maxSockets: 1, localAddress: freshAddress() });
      }
      const at =
        kind === 'since'
          ? Math.floor(Math.random() * (messages - 100))
          : 101 + Math.floor(Math.random() * (messages - 100));
      const t0 = performance.now();
      const answer = await httpCall(`${server.url}/history?room=${ROOM}&${kind}=${at}&limit=100`, {
        token: built.token,
        agent,
      });
      const ms = performance.now() - t0;
      if (answer.status !== 200 || !answer.body.includes(`"seq":${kind === 'since' ? at + 1 : at - 1}`)) errors++;
      samples?.add(ms);
    };
    // Steady state: on a fresh server V8's compiler threads are still at work
    // for a few thousand requests and, on the server's one core, preempt the
    // measured queries for milliseconds at a time.
    for (let i = 0; i < warmup; i++) await query(i % 2 === 0 ? 'since' : 'before');
    const since = new Samples();
    const before = new Samples();
    const profileFile = ctx.profileFile('pockychat', 'history-queries');
    if (profileFile) await server.probe('profile-start');
    const cpu0 = server.cpuMicros();
    // Interleaved, so that both kinds meet the same conditions on the machine.
    for (let i = 0; i < queries; i++) {
      await query('since', since);
      await query('before', before);
    }
    const cpu = server.cpuMicros() - cpu0;
    if (profileFile) await server.probe('profile-stop', profileFile);
    agent.destroy();
    return {
      scenario: 'history',
      server: 'pockychat',
      messages,
      buildSeconds: built.seconds,
      queries: queries * 2,
      since: since.summary(),
      before: before.summary(),
      cpuUsPerQuery: cpu / (queries * 2),
      serverRssMB: server.rssBytes() / 2 ** 20,
      errors,
    };
  } finally {
    await server.stop();
  }
}
