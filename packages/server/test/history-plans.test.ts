import assert from 'node:assert/strict';
import path from 'node:path';
import { DatabaseSync, type SQLInputValue } from 'node:sqlite';
import { after, before, describe, test } from 'node:test';
import type { LogEvent } from 'kysely';
import pg from 'pg';
import { PostgresStore } from '../src/storage/postgres/postgres-store.ts';
import { SqliteStore } from '../src/storage/sqlite/sqlite-store.ts';
import { LIKE_EMOJI } from '@pockychat/protocol';
import type { HistoryRange } from '../src/chat/model.ts';
import type { Store } from '../src/chat/ports/store.ts';
import { createDatabase, startPostgres, type PostgresServer } from './helpers/services.ts';
import { tempDataDir } from './helpers/test-server.ts';

/**
 * The pages of history are answered from an index, never a scan of messages
 * or likes, on both databases. The plans are those of the statements the
 * store really runs: captured through Kysely's log as the store pages, then
 * explained with the same parameters. A change to the store's SQL is what
 * this test reads.
 */

interface Statement {
  sql: string;
  parameters: readonly unknown[];
}

const ROOM = 'plans';
const MESSAGES = 300;
const RANGES: Record<HistoryRange['kind'], HistoryRange> = {
  'since-seq': { kind: 'since-seq', seq: 150, limit: 100 },
  'since-date': { kind: 'since-date', date: '2026-01-01T00:02:30.000Z', limit: 100 },
  'before-seq': { kind: 'before-seq', seq: 250, limit: 100 },
  'changed-since': { kind: 'changed-since', rev: 150, limit: 100 },
};
const INDEX_OF: Record<HistoryRange['kind'], string> = {
  'since-seq': 'messages_room_seq',
  'since-date': 'messages_room_date',
  'before-seq': 'messages_room_seq',
  'changed-since': 'messages_room_rev',
};

/** A store recording every statement it runs, with its parameters. */
function recorder(): { log: (event: LogEvent) => void; statements: Statement[] } {
  const statements: Statement[] = [];
  const log = (event: LogEvent) => {
    if (event.level === 'query') statements.push({ sql: event.query.sql, parameters: event.query.parameters });
  };
  return { log, statements };
}

/** A room of MESSAGES messages, one a second from midnight, every one liked (so the likes lookup runs), among other rooms. */
async function fill(store: Store): Promise<void> {
  const author = await store.createUser({
    id: 'ann',
    name: 'Ann',
    kind: 'guest',
    createdAt: '2026-01-01T00:00:00.000Z',
  });
  for (const room of [ROOM, 'elsewhere']) {
    await store.ensureRoom({ name: room, visibility: 'public', ownerId: null, createdAt: '2026-01-01T00:00:00.000Z' });
  }
  const appended = await Promise.all(
    Array.from({ length: MESSAGES }, (_, i) =>
      store.appendMessage({
        id: `m${i}`,
        room: i % 10 === 9 ? 'elsewhere' : ROOM,
        author,
        text: `message ${i}`,
        date: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(),
        clientId: `c${i}`,
        clientDate: undefined,
      }),
    ),
  );
  for (const { message } of appended)
    await store.changeMessage(message.room, message.id, {
      kind: 'react',
      userId: author.id,
      emoji: LIKE_EMOJI,
      on: true,
    });
}

/** Runs one page of history and returns the statements it ran: the page, then the likes of the liked messages. */
async function statementsOfPage(store: Store, statements: Statement[], range: HistoryRange): Promise<Statement[]> {
  const from = statements.length;
  const page = await store.history(ROOM, range);
  assert.ok(page.length > 0, `${range.kind}: a page of messages`);
  assert.ok(
    page.every((m) => m.likes.length === 1),
    `${range.kind}: the likes were read`,
  );
  const ran = statements.slice(from);
  assert.equal(ran.length, 2, `${range.kind} runs the page and the likes lookup:\n${ran.map((s) => s.sql).join('\n')}`);
  return ran;
}

describe('history plans: SQLite', () => {
  const file = path.join(tempDataDir(), 'plans.sqlite');
  const { log, statements } = recorder();
  let store: Store;
  let db: DatabaseSync;
  before(async () => {
    store = await SqliteStore.open(file, { log });
    await fill(store);
    db = new DatabaseSync(file, { readOnly: true });
  });
  after(async () => {
    db.close();
    await store.close();
  });

  const planOf = (statement: Statement): string[] =>
    db
      .prepare(`explain query plan ${statement.sql}`)
      .all(...(statement.parameters as SQLInputValue[]))
      .map((row) => String((row as { detail: unknown }).detail));

  for (const [kind, range] of Object.entries(RANGES) as Array<[HistoryRange['kind'], HistoryRange]>) {
    test(`${kind}: the page searches ${INDEX_OF[kind]} in index order, the likes their primary key`, async () => {
      const [page, likes] = (await statementsOfPage(store, statements, range)) as [Statement, Statement];
      const plan = planOf(page);
      const shown = plan.join('\n');
      assert.ok(
        plan.some((line) => new RegExp(`SEARCH messages USING (COVERING )?INDEX ${INDEX_OF[kind]}\\b`).test(line)),
        `${kind} uses ${INDEX_OF[kind]}:\n${shown}`,
      );
      assert.ok(!plan.some((line) => /SCAN messages\b/.test(line)), `${kind} scans messages:\n${shown}`);
      assert.ok(!plan.some((line) => /SCAN reactions\b/.test(line)), `${kind} scans likes:\n${shown}`);
      // The order comes from the index (a temp b-tree at most for the seq tie-break of equal dates).
      assert.ok(!plan.includes('USE TEMP B-TREE FOR ORDER BY'), `${kind} sorts everything:\n${shown}`);

      const likesPlan = planOf(likes);
      assert.ok(
        !likesPlan.some((line) => /SCAN reactions\b/.test(line)),
        `likes are looked up by index:\n${likesPlan.join('\n')}`,
      );
    });
  }
});

describe('history plans: PostgreSQL', () => {
  const { log, statements } = recorder();
  let server: PostgresServer;
  let store: Store;
  let client: pg.Client;
  before(async () => {
    server = await startPostgres();
    const url = await createDatabase(server, 'history_plans');
    store = await PostgresStore.open(url, { log });
    await fill(store);
    client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query('analyze');
    // A test's few hundred rows are cheapest read whole, so the planner would
    // scan even where an index serves; with scans priced out, a scan in the
    // plan means that no index can serve the statement.
    await client.query('set enable_seqscan = off');
  });
  after(async () => {
    await client.end();
    await store.close();
    await server.stop('immediate');
  });

  const planOf = async (statement: Statement): Promise<string[]> => {
    const result = await client.query<{ 'QUERY PLAN': string }>(
      `explain ${statement.sql}`,
      statement.parameters as unknown[],
    );
    return result.rows.map((row) => row['QUERY PLAN']);
  };

  for (const [kind, range] of Object.entries(RANGES) as Array<[HistoryRange['kind'], HistoryRange]>) {
    test(`${kind}: the page reads ${INDEX_OF[kind]}, the likes their primary key; no scan of either`, async () => {
      const [page, likes] = (await statementsOfPage(store, statements, range)) as [Statement, Statement];
      const plan = await planOf(page);
      const shown = plan.join('\n');
      assert.ok(
        plan.some((line) =>
          new RegExp(`Index (Only )?Scan (Backward )?using ${INDEX_OF[kind]} on messages\\b`).test(line),
        ),
        `${kind} uses ${INDEX_OF[kind]}:\n${shown}`,
      );
      assert.ok(!plan.some((line) => /Seq Scan on (messages|reactions)\b/.test(line)), `${kind} scans:\n${shown}`);
      // The order comes from the index (an incremental sort at most, for the seq tie-break of equal dates).
      assert.ok(!plan.some((line) => /^\s*(->\s*)?Sort\s+\(/.test(line)), `${kind} sorts everything:\n${shown}`);

      const likesPlan = await planOf(likes);
      assert.ok(
        !likesPlan.some((line) => /Seq Scan on reactions\b/.test(line)),
        `likes are looked up by index:\n${likesPlan.join('\n')}`,
      );
    });
  }
});
