import pg from 'pg';
import { SearchCorpus } from './corpus.ts';
import { accessOf, lastSeqOf, ROOMS, roomName, roomOf, seqOf } from './layout.ts';

/** Rows per INSERT (one transaction each): arrays bound as parameters, unnested by PostgreSQL. */
const BATCH = 20_000;

/**
 * Fills a pockychat PostgreSQL database (schema made by the server's
 * migrations) with the search corpus, straight through SQL; migration
 * 0006's trigger fills message_search as the rows go in.
 */
export async function buildPostgresCorpus(url: string, userId: string, messages: number): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const now = '2024-01-01T00:00:00.000Z';
    for (let r = 0; r < ROOMS; r++) {
      const last = lastSeqOf(r, messages);
      await client.query(
        'insert into rooms (name, visibility, owner_id, last_seq, last_rev, created_at) values ($1, $2, null, $3, $3, $4)',
        [roomName(r), accessOf(r) === 'public' ? 'public' : 'private', last, now],
      );
      if (accessOf(r) === 'member')
        await client.query("insert into memberships (room, user_id, role, joined_at) values ($1, $2, 'member', $3)", [
          roomName(r),
          userId,
          now,
        ]);
    }
    // The trigram index goes while the rows go in, and is built again after (the same definition as
    // migration 0006's): one build is several times faster than a million GIN insertions.
    await client.query('drop index message_search_trgm');
    const corpus = new SearchCorpus();
    const start = Date.parse(now);
    for (let first = 1; first <= messages; first += BATCH) {
      const ids: string[] = [];
      const rooms: string[] = [];
      const seqs: number[] = [];
      const texts: string[] = [];
      const dates: string[] = [];
      for (let n = first; n < first + BATCH && n <= messages; n++) {
        ids.push(`s${n.toString(16).padStart(8, '0')}`);
        rooms.push(roomName(roomOf(n)));
        seqs.push(seqOf(n));
        texts.push(corpus.text(n));
        dates.push(new Date(start + n * 1000).toISOString());
      }
      await client.query(
        `insert into messages (id, room, seq, rev, author_id, text, date, client_id)
         select id, room, seq, seq, $6, text, date, id
         from unnest($1::text[], $2::text[], $3::int[], $4::text[], $5::text[]) as t(id, room, seq, text, date)`,
        [ids, rooms, seqs, texts, dates, userId],
      );
    }
    await client.query("set maintenance_work_mem = '256MB'");
    await client.query('create index message_search_trgm on message_search using gin (text gin_trgm_ops)');
    await client.query('analyze');
  } finally {
    await client.end();
  }
}
