import { DatabaseSync } from 'node:sqlite';
import { performance } from 'node:perf_hooks';
import { SearchService } from '../../packages/server/src/chat/search.ts';
import { SqliteStore } from '../../packages/server/src/storage/sqlite/sqlite-store.ts';
import { Samples, type LatencySummary } from '../stats.ts';
import { SEARCH_QUERIES, SearchCorpus } from './corpus.ts';
import { roomName, roomOf, seqOf } from './layout.ts';

/** As many pending messages as the live indexer lets wait while sends keep it busy (maxPending). */
export const PENDING_TAIL = 20_000;

export interface PendingTailResult {
  pending: number;
  all: LatencySummary;
}

/**
 * Search with a full pending tail, the worst a busy server leaves: the
 * corpus's next PENDING_TAIL messages appended unindexed (migration 0010),
 * then the query mix through SearchService on the file in this process (a
 * server would index them as soon as it is idle; no HTTP here, about 1 ms
 * less than the server's figures).
 */
export async function measurePendingTail(
  file: string,
  userId: string,
  messages: number,
  rounds: number,
): Promise<PendingTailResult> {
  appendUnindexed(file, messages);
  const store = await SqliteStore.open(file);
  try {
    const pending = await store.pendingCount();
    const user = await store.findUser(userId);
    if (!user) throw new Error('the searcher is not in the database');
    const search = new SearchService(store);
    const all = new Samples();
    for (const query of SEARCH_QUERIES) await search.search(user, { q: query.q });
    for (let round = 0; round < rounds; round++) {
      for (const query of SEARCH_QUERIES) {
        const t0 = performance.now();
        await search.search(user, { q: query.q });
        all.add(performance.now() - t0);
      }
    }
    return { pending, all: all.summary() };
  } finally {
    await store.close();
  }
}

function appendUnindexed(file: string, messages: number): void {
  const db = new DatabaseSync(file);
  const insert = db.prepare(
    `insert into messages (id, room, seq, rev, author_id, text, date, client_id)
     select r ->> 0, r ->> 1, r ->> 2, r ->> 2, (select author_id from messages limit 1), r ->> 3, r ->> 4, r ->> 0
     from (select value as r from json_each(?))`,
  );
  const corpus = new SearchCorpus();
  const rows: unknown[] = [];
  const date = new Date().toISOString();
  for (let n = messages + 1; n <= messages + PENDING_TAIL; n++) {
    const id = `p${n.toString(16).padStart(8, '0')}`;
    rows.push([id, roomName(roomOf(n)), seqOf(n), corpus.text(n), date]);
  }
  insert.run(JSON.stringify(rows));
  db.close();
}
