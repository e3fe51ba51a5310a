import type { Kysely, Transaction } from 'kysely';
import { LIKE_EMOJI, type FileRef, type Message, type ReplyRef, type User, type UserKind } from '@pockychat/protocol';
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
  rev: number;
  edited_at: string | null;
  deleted: number;
  reply_to: string | null;
  mentions: string | null;
}

/** By emoji, who reacted; an emoji nobody has left is absent. */
export type Reactions = Record<string, string[]>;

/** `admin` (users.admin) is given where the user is read as itself (me, sign-in), not as an author. */
export function toUser(id: string, name: string, kind: string, admin?: number): User {
  return admin ? { id, name, kind: kind as UserKind, admin: true } : { id, name, kind: kind as UserKind };
}

export function toMessage(row: MessageColumns, room: string, reactions: Reactions): Message {
  const message: Message = {
    id: row.id,
    room,
    seq: row.seq,
    rev: row.rev,
    author: toUser(row.author_id, row.author_name, row.author_kind),
    text: row.text,
    date: row.date,
    likes: reactions[LIKE_EMOJI] ?? [],
    mentions: row.mentions ? (JSON.parse(row.mentions) as string[]) : [],
    reactions,
  };
  if (row.file) message.file = JSON.parse(row.file) as FileRef;
  if (row.edited_at) message.editedAt = row.edited_at;
  if (row.deleted) message.deleted = true;
  if (row.reply_to) message.replyTo = JSON.parse(row.reply_to) as ReplyRef;
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

/** The reactions of each of these messages; a message without any has no entry. */
export async function reactionsOf(db: Db, ids: string[]): Promise<Map<string, Reactions>> {
  const map = new Map<string, Reactions>();
  if (ids.length === 0) return map;
  const rows = await db
    .selectFrom('reactions')
    .select(['message_id', 'user_id', 'emoji'])
    .where('message_id', 'in', ids)
    .execute();
  for (const row of rows) {
    let reactions = map.get(row.message_id);
    if (!reactions) map.set(row.message_id, (reactions = {}));
    (reactions[row.emoji] ??= []).push(row.user_id);
  }
  // Code-unit order, the same on every database whatever its collation.
  for (const reactions of map.values()) for (const users of Object.values(reactions)) users.sort();
  return map;
}

export async function withReactions(db: Db, rows: Array<MessageColumns & { room: string }>): Promise<Message[]> {
  const reactions = await reactionsOf(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((row) => toMessage(row, row.room, reactions.get(row.id) ?? {}));
}
