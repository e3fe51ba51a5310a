import { sql, type Insertable, type Transaction } from 'kysely';
import type { Message } from '@pockychat/protocol';
import type { Database, MessagesTable } from './schema.ts';
import type { AppendResult, NewMessage, StoredMessage } from './store.ts';

/** Rows per INSERT: well under SQLite's and PostgreSQL's limits on bound parameters. */
const ROWS_PER_INSERT = 500;

/** A batch held a resent clientId: it is rolled back and appended one message at a time. */
export class ResentInBatch extends Error {
  constructor() {
    super('a message of the batch was already stored');
  }
}

/** Locks these rooms' rows, in the order given, until commit (PostgreSQL; SQLite has one writer). */
export type LockRooms = (trx: Transaction<Database>, names: readonly string[]) => Promise<void>;

/**
 * The group-commit fast path, a fixed number of statements per batch
 * whatever its size: one UPDATE takes a block of seqs in every room of the
 * batch, one multi-row INSERT stores every message. If any (author,
 * clientId) was already there, the insert skips it, the count comes up
 * short and the batch is refused with ResentInBatch: the seqs taken would
 * have a gap.
 */
export async function appendAll(
  trx: Transaction<Database>,
  inputs: readonly NewMessage[],
  lockRooms?: LockRooms,
): Promise<AppendResult[]> {
  const seqs = await takeSeqs(trx, inputs, lockRooms);
  const rows = inputs.map((input, i) => rowOf(input, seqs[i] as number));
  for (let start = 0; start < rows.length; start += ROWS_PER_INSERT) {
    const chunk = rows.slice(start, start + ROWS_PER_INSERT);
    const inserted = await trx
      .insertInto('messages')
      .values(chunk)
      .onConflict((oc) => oc.columns(['author_id', 'client_id']).doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0) !== chunk.length) throw new ResentInBatch();
  }
  const withFiles = inputs.filter((input) => input.file);
  if (withFiles.length > 0) await trx.insertInto('files').values(withFiles.map(fileRowOf)).execute();
  return inputs.map((input, i) => appended(input, seqs[i] as number));
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
): Promise<AppendResult> {
  const seq = await bumpSeq(trx, input.room, 1);
  const inserted = await trx
    .insertInto('messages')
    .values(rowOf(input, seq))
    .onConflict((oc) => oc.columns(['author_id', 'client_id']).doNothing())
    .executeTakeFirst();
  if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0) {
    await bumpSeq(trx, input.room, -1);
    const existing = await findSent(trx, input.author.id, input.clientId);
    if (!existing) throw new Error('a message conflicted but is not there');
    return { ...existing, duplicate: true };
  }
  if (input.file) await trx.insertInto('files').values(fileRowOf(input)).execute();
  return appended(input, seq);
}

/**
 * The seq of each input, in input order: a block per room. Rooms are locked
 * in name order first, so that two nodes' batches cannot deadlock.
 */
async function takeSeqs(
  trx: Transaction<Database>,
  inputs: readonly NewMessage[],
  lockRooms: LockRooms | undefined,
): Promise<number[]> {
  const counts = new Map<string, number>();
  for (const { room } of inputs) counts.set(room, (counts.get(room) ?? 0) + 1);
  const names = [...counts.keys()].sort();
  await lockRooms?.(trx, names);
  const byRoom = sql<number>`case name ${sql.join(
    names.map((name) => sql`when ${name} then cast(${counts.get(name)} as integer)`),
    sql` `,
  )} end`;
  const rows = await trx
    .updateTable('rooms')
    .set((eb) => ({ last_seq: eb('last_seq', '+', byRoom) }))
    .where('name', 'in', names)
    .returning(['name', 'last_seq'])
    .execute();
  if (rows.length !== names.length) throw new Error('a message names a room that does not exist');
  const next = new Map(rows.map((row) => [row.name, row.last_seq - (counts.get(row.name) as number) + 1]));
  return inputs.map(({ room }) => {
    const seq = next.get(room) as number;
    next.set(room, seq + 1);
    return seq;
  });
}

/** Moves the room's last_seq by `by` (the UPDATE holds the room's row until commit); returns the new value. */
async function bumpSeq(trx: Transaction<Database>, room: string, by: number): Promise<number> {
  const { last_seq } = await trx
    .updateTable('rooms')
    .set((eb) => ({ last_seq: eb('last_seq', '+', by) }))
    .where('name', '=', room)
    .returning('last_seq')
    .executeTakeFirstOrThrow();
  return last_seq;
}

function rowOf(input: NewMessage, seq: number): Insertable<MessagesTable> {
  return {
    id: input.id,
    room: input.room,
    seq,
    author_id: input.author.id,
    text: input.text,
    date: input.date,
    client_id: input.clientId,
    client_date: input.clientDate === undefined ? null : JSON.stringify(input.clientDate),
    file: input.file ? JSON.stringify(input.file.ref) : null,
  };
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

function appended(input: NewMessage, seq: number): AppendResult {
  const message: Message = {
    id: input.id,
    room: input.room,
    seq,
    author: input.author,
    text: input.text,
    date: input.date,
    likes: [],
    ...(input.file && { file: input.file.ref }),
  };
  return { message, clientId: input.clientId, clientDate: input.clientDate, duplicate: false };
}
