import type { Kysely, Transaction } from 'kysely';
import type { FileRef, Message, User, UserKind } from '@pockychat/protocol';
import type { Database } from '../schema.ts';

/** Rows as the SQL stores read them, and the domain values made from them. */

export type Db = Kysely<Database> | Transaction<Database>;

/** The columns a Message is made of; the room is the one asked for. */
export interface MessageColumns {
  id: string;
  seq: number;
  author_id: string;
  author_name: string;
  author_kind: string;
  text: string;
  date: string;
  file: string | null;
}

export function toUser(id: string, name: string, kind: string): User {
  return { id, name, kind: kind as UserKind };
}

export function toMessage(row: MessageColumns, room: string, likes: string[]): Message {
  const message: Message = {
    id: row.id,
    room,
    seq: row.seq,
    author: toUser(row.author_id, row.author_name, row.author_kind),
    text: row.text,
    date: row.date,
    likes,
  };
  if (row.file) message.file = JSON.parse(row.file) as FileRef;
  return message;
}

export function parseClientDate(json: string | null): string | number | undefined {
  return json === null ? undefined : (JSON.parse(json) as string | number);
}

/** Whole message rows with their author's name and kind. */
export function selectMessages(db: Db) {
  return db
    .selectFrom('messages')
    .innerJoin('users', 'users.id', 'messages.author_id')
    .selectAll('messages')
    .select(['users.name as author_name', 'users.kind as author_kind']);
}

/** The users who like each of these messages; a message without likes has no entry. */
export async function likesOf(db: Db, ids: string[]): Promise<Map<string, string[]>> {
  const map = new Map<string, string[]>();
  if (ids.length === 0) return map;
  const rows = await db
    .selectFrom('likes')
    .select(['message_id', 'user_id'])
    .where('message_id', 'in', ids)
    .orderBy('user_id')
    .execute();
  for (const row of rows) {
    const list = map.get(row.message_id) ?? [];
    list.push(row.user_id);
    map.set(row.message_id, list);
  }
  // Code-unit order, the same on every database whatever its collation.
  for (const list of map.values()) list.sort();
  return map;
}

export async function withLikes(db: Db, rows: Array<MessageColumns & { room: string }>): Promise<Message[]> {
  const likes = await likesOf(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((row) => toMessage(row, row.room, likes.get(row.id) ?? []));
}
