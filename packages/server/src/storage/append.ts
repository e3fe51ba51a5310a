import { sql, type Insertable, type Kysely, type Transaction } from 'kysely';
import type { Message } from '@pockychat/protocol';
import type { Database, MessagesTable } from './schema.ts';
import type { AppendResult, NewMessage, StoredMessage } from '../chat/model.ts';
import { PreparedCache, PreparedQuery, type Bindable } from './prepared-query.ts';
import type { SqlOutbox } from './outbox.ts';
import { writeMentions } from './sql/mention-index.ts';

/**
 * Rows per INSERT, rooms per seq UPDATE. Every statement of up to this many
 * is compiled once and kept (all those shapes fit, so none is dropped for
 * another); a larger batch runs several. Compiling a 500-row INSERT took
 * 3 to 7 ms, on the event loop, for every batch of a new size.
 */
const CHUNK = 64;

/** A batch held a resent clientId: it is rolled back and appended one message at a time. */
export class ResentInBatch extends Error {
  constructor() {
    super('a message of the batch was already stored');
  }
}

/** Locks these rooms' rows, in the order given, until commit (PostgreSQL; SQLite has one writer). */
export type LockRooms = (trx: Transaction<Database>, names: readonly string[]) => Promise<void>;

/** The columns of a message row, in the order a prepared insert binds them. */
const COLUMNS = [
  'id',
  'room',
  'seq',
  'rev',
  'author_id',
  'text',
  'date',
  'client_id',
  'client_date',
  'file',
  'reply_to',
  'mentions',
] as const;

/** A message's place: its seq, and the rev its creation took. */
interface Place {
  seq: number;
  rev: number;
}

/**
 * The group-commit fast path, a few statements per batch whatever its size:
 * an UPDATE takes a block of seqs in every room of the batch (one per 64
 * rooms), a multi-row INSERT stores the messages (one per 64). If any (author,
 * clientId) was already there, the insert skips it, the count comes up
 * short and the batch is refused with ResentInBatch: the seqs taken would
 * have a gap. Both statements are compiled once per shape (rooms in the
 * batch, rows in the insert): under a light load every batch is one message,
 * and building it anew cost more than SQLite's own work.
 */
export class BatchAppend {
  readonly #lockRooms: LockRooms | undefined;
  readonly #takeSeqs: PreparedCache<
    number,
    PreparedQuery<string, { name: string; last_seq: number; last_rev: number }>
  >;
  readonly #insert: PreparedCache<number, PreparedQuery<string, unknown>>;
  readonly #outbox: SqlOutbox | undefined;

  constructor(db: Kysely<Database>, lockRooms?: LockRooms, outbox?: SqlOutbox) {
    this.#lockRooms = lockRooms;
    this.#outbox = outbox;
    this.#takeSeqs = new PreparedCache(CHUNK, (rooms) => seqBlocksQuery(db, rooms));
    this.#insert = new PreparedCache(CHUNK, (rows) => insertQuery(db, rows));
  }

  async run(trx: Transaction<Database>, inputs: readonly NewMessage[]): Promise<AppendResult[]> {
    // Several nodes: one outbox row names the batch's messages. Written first,
    // before the seq UPDATE locks the rooms, so that it holds them no longer.
    if (this.#outbox) await this.#outbox.write(trx, inputs);
    const seqs = await this.#seqsOf(trx, inputs);
    for (let start = 0; start < inputs.length; start += CHUNK) {
      const chunk = inputs.slice(start, start + CHUNK);
      const values = chunk.flatMap((input, i) => rowValues(input, seqs[start + i] as Place));
      const inserted = await this.#insert.get(chunk.length).execute(trx, values);
      if (Number(inserted.numAffectedRows ?? 0) !== chunk.length) throw new ResentInBatch();
    }
    const withFiles = inputs.filter((input) => input.file);
    if (withFiles.length > 0) await trx.insertInto('files').values(withFiles.map(fileRowOf)).execute();
    const withMentions = inputs.flatMap((input, i) => (input.mentions?.length ? [{ input, seq: seqs[i]!.seq }] : []));
    if (withMentions.length > 0) await writeMentions(trx, withMentions);
    return inputs.map((input, i) => appended(input, seqs[i] as Place));
  }

  /**
   * The seq and rev of each input, in input order: a block of each per room. Rooms are
   * locked in name order first, so that two nodes' batches cannot deadlock.
   */
  async #seqsOf(trx: Transaction<Database>, inputs: readonly NewMessage[]): Promise<Place[]> {
    const counts = new Map<string, number>();
    for (const { room } of inputs) counts.set(room, (counts.get(room) ?? 0) + 1);
    const names = [...counts.keys()].sort();
    await this.#lockRooms?.(trx, names);
    const rows: Array<{ name: string; last_seq: number; last_rev: number }> = [];
    for (let start = 0; start < names.length; start += CHUNK) {
      const chunk = names.slice(start, start + CHUNK);
      const values = chunk.flatMap((name) => [name, counts.get(name) as number]);
      rows.push(...(await this.#takeSeqs.get(chunk.length).run(trx, values)));
    }
    if (rows.length !== names.length) throw new Error('a message names a room that does not exist');
    const next = new Map(
      rows.map((row) => {
        const count = counts.get(row.name) as number;
        return [row.name, { seq: row.last_seq - count + 1, rev: row.last_rev - count + 1 }];
      }),
    );
    return inputs.map(({ room }) => {
      const place = next.get(room) as Place;
      next.set(room, { seq: place.seq + 1, rev: place.rev + 1 });
      return place;
    });
  }
}

/**
 * `UPDATE rooms SET last_seq = last_seq + CASE name WHEN room0 THEN count0 … END`
 * (and last_rev alike, in the same statement: a message's creation is a change
 * of its room), for `rooms` rooms.
 */
function seqBlocksQuery(db: Kysely<Database>, rooms: number) {
  const keys = Array.from({ length: rooms }, (_, i) => [`room${i}`, `count${i}`]).flat();
  return new PreparedQuery(keys, (p) => {
    const names = Array.from({ length: rooms }, (_, i) => p[`room${i}`] as string);
    const byRoom = sql<number>`case name ${sql.join(
      names.map((name, i) => sql`when ${name} then cast(${p[`count${i}`]} as integer)`),
      sql` `,
    )} end`;
    return db
      .updateTable('rooms')
      .set((eb) => ({ last_seq: eb('last_seq', '+', byRoom), last_rev: eb('last_rev', '+', byRoom) }))
      .where('name', 'in', names)
      .returning(['name', 'last_seq', 'last_rev']);
  });
}

/** A multi-row INSERT of `rows` messages that skips an (author, clientId) already stored. */
function insertQuery(db: Kysely<Database>, rows: number) {
  const keys = Array.from({ length: rows }, (_, i) => COLUMNS.map((column) => `${column}${i}`)).flat();
  return new PreparedQuery(keys, (p) =>
    db
      .insertInto('messages')
      .values(
        Array.from(
          { length: rows },
          (_, i) =>
            Object.fromEntries(COLUMNS.map((column) => [column, p[`${column}${i}`]])) as Insertable<MessagesTable>,
        ),
      )
      .onConflict((oc) => oc.columns(['author_id', 'client_id']).doNothing()),
  );
}

/**
 * One message, exactly: takes the room's next seq, then inserts; a resent
 * (author, clientId) hits the unique index, gives the seq back and returns
 * the first message, found by `findSent`.
 */
export async function appendOne(
  trx: Transaction<Database>,
  input: NewMessage,
  findSent: (trx: Transaction<Database>, authorId: string, clientId: string) => Promise<StoredMessage | undefined>,
  outbox?: SqlOutbox,
): Promise<AppendResult> {
  const place = await bumpSeq(trx, input.room, 1);
  const inserted = await trx
    .insertInto('messages')
    .values(rowOf(input, place))
    .onConflict((oc) => oc.columns(['author_id', 'client_id']).doNothing())
    .executeTakeFirst();
  if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0) {
    await bumpSeq(trx, input.room, -1);
    const existing = await findSent(trx, input.author.id, input.clientId);
    if (!existing) throw new Error('a message conflicted but is not there');
    return { ...existing, duplicate: true };
  }
  if (input.file) await trx.insertInto('files').values(fileRowOf(input)).execute();
  if (input.mentions?.length) await writeMentions(trx, [{ input, seq: place.seq }]);
  if (outbox) await outbox.write(trx, [input]);
  return appended(input, place);
}

/** Moves the room's last_seq and last_rev by `by` (the UPDATE holds the room's row until commit); returns the new values. */
async function bumpSeq(trx: Transaction<Database>, room: string, by: number): Promise<Place> {
  const { last_seq, last_rev } = await trx
    .updateTable('rooms')
    .set((eb) => ({ last_seq: eb('last_seq', '+', by), last_rev: eb('last_rev', '+', by) }))
    .where('name', '=', room)
    .returning(['last_seq', 'last_rev'])
    .executeTakeFirstOrThrow();
  return { seq: last_seq, rev: last_rev };
}

/** A message row's values, in COLUMNS order (what a prepared insert binds). */
function rowValues(input: NewMessage, place: Place): Bindable[] {
  return [
    input.id,
    input.room,
    place.seq,
    place.rev,
    input.author.id,
    input.text,
    input.date,
    input.clientId,
    input.clientDate === undefined ? null : JSON.stringify(input.clientDate),
    input.file ? JSON.stringify(input.file.ref) : null,
    input.replyTo ? JSON.stringify(input.replyTo) : null,
    input.mentions && input.mentions.length > 0 ? JSON.stringify(input.mentions) : null,
  ];
}

/** The same row as an object, for Kysely's builder (the one-message path). */
function rowOf(input: NewMessage, place: Place): Insertable<MessagesTable> {
  const values = rowValues(input, place);
  return Object.fromEntries(COLUMNS.map((column, i) => [column, values[i]])) as Insertable<MessagesTable>;
}

function fileRowOf(input: NewMessage) {
  const file = input.file as NonNullable<NewMessage['file']>;
  return {
    id: file.ref.id,
    room: input.room,
    message_id: input.id,
    blob_key: file.blob.blobKey,
    name: file.ref.name,
    type: file.ref.type,
    size: file.ref.size,
    sha256: file.blob.sha256,
    inline: file.blob.inline ? 1 : 0,
    created_at: input.date,
  };
}

function appended(input: NewMessage, place: Place): AppendResult {
  const message: Message = {
    id: input.id,
    room: input.room,
    seq: place.seq,
    rev: place.rev,
    author: input.author,
    text: input.text,
    date: input.date,
    likes: [],
    ...(input.file && { file: input.file.ref }),
    ...(input.replyTo && { replyTo: input.replyTo }),
    mentions: input.mentions ?? [],
    reactions: {},
  };
  return { message, clientId: input.clientId, clientDate: input.clientDate, duplicate: false };
}
