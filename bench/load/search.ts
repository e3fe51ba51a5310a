import { mkdtempSync, statSync } from 'node:fs';
import { Agent } from 'node:http';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pin, spawningOn } from '../proc.ts';
import { buildPostgresCorpus } from '../search/build-postgres.ts';
import { buildSqliteCorpus } from '../search/build-sqlite.ts';
import { measurePendingTail, type PendingTailResult } from '../search/pending-tail.ts';
import { SEARCH_QUERIES } from '../search/corpus.ts';
import { accessOf, ROOMS, roomName } from '../search/layout.ts';
import { LOAD_CORE, SERVER_CORE, type ServerHandle } from '../servers/spawn.ts';
import { Samples, type LatencySummary } from '../stats.ts';
import type { RunContext } from './context.ts';
import { createGuests, freshAddress, httpCall } from './guests.ts';
import { postmasterOf, processTree } from './multinode.ts';

export interface SearchQueryResult {
  name: string;
  q: string;
  latency: LatencySummary;
  /** Messages per answer, on average (the limit is 20). */
  found: number;
}

export interface SearchResult {
  scenario: 'search';
  database: 'sqlite' | 'postgres';
  messages: number;
  buildSeconds: number;
  /** The start-up indexing of messages stored before the index, when the scenario measures one (none yet). */
  indexSeconds: number | undefined;
  queries: SearchQueryResult[];
  all: LatencySummary;
  cpuUsPerQuery: number;
  serverRssMB: number;
  /** SQLite: the database file; PostgreSQL: messages and message_search, with their indexes. */
  diskMB: number;
  indexMB: number;
  /** Answers that were not 200, or held a message of a room the searcher may not read. */
  errors: number;
  /** SQLite: the query mix again with a full pending tail (in process). */
  pendingTail?: PendingTailResult;
}

/** The searcher's token and id, from a server on a fresh database, stopped again. */
async function searcherOn(ctx: RunContext, env: Record<string, string>): Promise<{ token: string; userId: string }> {
  const server = await ctx.start('pockychat', env);
  try {
    const [token] = (await createGuests(server.url, 1)) as [string];
    const me = JSON.parse((await httpCall(`${server.url}/me`, { token, localAddress: freshAddress() })).body) as {
      user: { id: string };
    };
    return { token, userId: me.user.id };
  } finally {
    await server.stop();
  }
}

const hidden = new Set(
  Array.from({ length: ROOMS }, (_, r) => r)
    .filter((r) => accessOf(r) === 'hidden')
    .map(roomName),
);

/** The query mix, interleaved, one at a time; warm-up first (V8 compiling the path, the page cache). */
async function measure(
  ctx: RunContext,
  server: ServerHandle,
  token: string,
): Promise<Pick<SearchResult, 'queries' | 'all' | 'cpuUsPerQuery' | 'errors'>> {
  const { queries, warmup } = ctx.config.search;
  let agent = new Agent({ keepAlive: true, maxSockets: 1, localAddress: freshAddress() });
  let calls = 0;
  let errors = 0;
  const samples = SEARCH_QUERIES.map(() => new Samples());
  const found = SEARCH_QUERIES.map(() => 0);
  const all = new Samples();
  const ask = async (i: number, measured: boolean) => {
    // pockychat allows 600 requests a minute per address: move on before that.
    if (++calls % 500 === 0) {
      agent.destroy();
      agent = new Agent({ keepAlive: true, maxSockets: 1, localAddress: freshAddress() });
    }
    const query = SEARCH_QUERIES[i] as (typeof SEARCH_QUERIES)[number];
    const t0 = performance.now();
    const answer = await httpCall(`${server.url}/search?q=${encodeURIComponent(query.q)}`, { token, agent });
    const ms = performance.now() - t0;
    if (!measured) return;
    const messages =
      answer.status === 200 ? (JSON.parse(answer.body) as { messages: Array<{ room: string }> }).messages : undefined;
    if (!messages || messages.some((m) => hidden.has(m.room))) errors++;
    found[i] = (found[i] as number) + (messages?.length ?? 0);
    samples[i]?.add(ms);
    all.add(ms);
  };
  for (let i = 0; i < warmup; i++) await ask(i % SEARCH_QUERIES.length, false);
  const cpu0 = server.cpuMicros();
  for (let round = 0; round < queries; round++) {
    for (let i = 0; i < SEARCH_QUERIES.length; i++) await ask(i, true);
  }
  const cpu = server.cpuMicros() - cpu0;
  agent.destroy();
  return {
    queries: SEARCH_QUERIES.map((query, i) => ({
      name: query.name,
      q: query.q,
      latency: (samples[i] as Samples).summary(),
      found: (found[i] as number) / queries,
    })),
    all: all.summary(),
    cpuUsPerQuery: cpu / (queries * SEARCH_QUERIES.length),
    errors,
  };
}

async function onSqlite(ctx: RunContext): Promise<SearchResult> {
  const { messages } = ctx.config.search;
  const dataDir = mkdtempSync(path.join(ctx.tmpDir, 'search-sqlite-'));
  const t0 = performance.now();
  const { token, userId } = await searcherOn(ctx, { DATA_DIR: dataDir });
  const file = path.join(dataDir, 'pockychat.sqlite');
  buildSqliteCorpus(file, userId, messages);
  const buildSeconds = (performance.now() - t0) / 1000;
  ctx.log(`search: SQLite, ${messages} messages built and indexed in ${buildSeconds.toFixed(1)} s`);
  const { DatabaseSync } = await import('node:sqlite');
  const db = new DatabaseSync(file, { readOnly: true });
  const index = db.prepare("select sum(pgsize) as bytes from dbstat where name like 'messages_fts%'").get() as
    { bytes: number | null } | undefined;
  db.close();
  const server = await ctx.start('pockychat', { DATA_DIR: dataDir });
  let result: SearchResult;
  try {
    result = {
      scenario: 'search',
      database: 'sqlite',
      messages,
      buildSeconds,
      indexSeconds: undefined,
      ...(await measure(ctx, server, token)),
      serverRssMB: server.rssBytes() / 2 ** 20,
      diskMB: statSync(file).size / 2 ** 20,
      indexMB: Number(index?.bytes ?? NaN) / 2 ** 20,
    };
  } finally {
    await server.stop();
  }
  // Once the server is gone: its live indexer would take the tail in at once.
  const pendingTail = await measurePendingTail(file, userId, messages, ctx.config.search.queries);
  ctx.log(`search: SQLite with ${pendingTail.pending} pending, p99 ${pendingTail.all.p99.toFixed(2)} ms`);
  return { ...result, pendingTail };
}

async function onPostgres(ctx: RunContext): Promise<SearchResult> {
  const { messages } = ctx.config.search;
  const services = await import('../../packages/server/test/helpers/services.ts');
  const pg = await spawningOn(SERVER_CORE, LOAD_CORE, () => services.startPostgres());
  const postmaster = postmasterOf(pg.port);
  if (postmaster !== undefined) for (const pid of processTree(postmaster)) pin(pid, SERVER_CORE);
  try {
    const url = await services.createDatabase(pg, 'search');
    const env = { DATA_DIR: mkdtempSync(path.join(ctx.tmpDir, 'search-pg-')), DATABASE_URL: url };
    const t0 = performance.now();
    const { token, userId } = await searcherOn(ctx, env);
    await buildPostgresCorpus(url, userId, messages);
    const buildSeconds = (performance.now() - t0) / 1000;
    ctx.log(`search: PostgreSQL, ${messages} messages loaded and indexed in ${buildSeconds.toFixed(1)} s`);
    const { PostgresStore } = await import('../../packages/server/src/storage/postgres/postgres-store.ts');
    const store = await PostgresStore.open(url);
    const { sql } = await import('kysely');
    const sizes = await sql<{ total: number; index: number }>`select
      (pg_total_relation_size('messages') + pg_total_relation_size('message_search'))::float8 as total,
      pg_total_relation_size('message_search')::float8 as index`.execute(store.db);
    await store.close();
    const server = await ctx.start('pockychat', env);
    try {
      return {
        scenario: 'search',
        database: 'postgres',
        messages,
        buildSeconds,
        indexSeconds: undefined,
        ...(await measure(ctx, server, token)),
        serverRssMB: server.rssBytes() / 2 ** 20,
        diskMB: Number(sizes.rows[0]?.total) / 2 ** 20,
        indexMB: Number(sizes.rows[0]?.index) / 2 ** 20,
      };
    } finally {
      await server.stop();
    }
  } finally {
    await pg.stop('immediate').catch(() => undefined);
  }
}

/**
 * Search: GET /search over `messages` messages in 100 rooms (the searcher
 * may read 60), a mix of queries one at a time, on SQLite then PostgreSQL.
 */
export async function searchScenario(
  ctx: RunContext,
  databases: ReadonlyArray<'sqlite' | 'postgres'>,
): Promise<SearchResult[]> {
  const results: SearchResult[] = [];
  if (databases.includes('sqlite')) results.push(await onSqlite(ctx));
  if (databases.includes('postgres')) results.push(await onPostgres(ctx));
  return results;
}
