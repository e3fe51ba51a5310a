import type { FileRef, Message, User, UserKind, Visibility } from '@pockychat/protocol';
import type { MemberRole } from '../../chat/model.ts';

/**
 * The in-memory store's data, shaped like the SQL tables so that the two
 * keep the same rules: rows refer to users and rooms by key, and what is
 * read (an author's name, a message's likes) is looked up at read time.
 * Nothing stored is handed out: readers get fresh objects.
 */

export interface UserRow {
  id: string;
  name: string;
  kind: UserKind;
  createdAt: string;
  email: string | null;
  passwordHash: string | null;
  facebookId: string | null;
}

export interface RoomRow {
  name: string;
  visibility: Visibility;
  ownerId: string | null;
  lastSeq: number;
  createdAt: string;
}

export interface MembershipRow {
  role: MemberRole;
  joinedAt: string;
}

export interface MessageRow {
  id: string;
  room: string;
  seq: number;
  authorId: string;
  text: string;
  date: string;
  clientId: string;
  clientDate: string | number | undefined;
  file: FileRef | undefined;
}

/** For a user, or pending for an email or Facebook id (userId null). */
export interface InviteRow {
  room: string;
  userId: string | null;
  email: string | null;
  facebookId: string | null;
  invitedBy: string;
  createdAt: string;
}

export interface FileRow {
  id: string;
  room: string;
  messageId: string;
  blobKey: string;
  sha256: string;
  inline: boolean;
}

export class MemoryTables {
  readonly users = new Map<string, UserRow>();
  /** By token hash. */
  readonly tokens = new Map<string, { userId: string; createdAt: string }>();
  readonly rooms = new Map<string, RoomRow>();
  /** By room, then user id. */
  readonly memberships = new Map<string, Map<string, MembershipRow>>();
  /** By id. */
  readonly messages = new Map<string, MessageRow>();
  /** Each room's messages in seq order: seq being gap-free and never deleted, seq n is at index n - 1. */
  readonly roomMessages = new Map<string, MessageRow[]>();
  /** Message ids by sentKey(author, clientId): the unique (author_id, client_id) index. */
  readonly sent = new Map<string, string>();
  /** By message id: the users who like it. */
  readonly likes = new Map<string, Set<string>>();
  /** In the order they were made. */
  invites: InviteRow[] = [];
  /** By file id. */
  readonly files = new Map<string, FileRow>();

  /** The row of a user who must exist (a foreign key). */
  userRow(id: string): UserRow {
    const row = this.users.get(id);
    if (!row) throw new Error(`no user ${id}`);
    return row;
  }

  /** The row of a room that must exist (a foreign key). */
  roomRow(name: string): RoomRow {
    const row = this.rooms.get(name);
    if (!row) throw new Error(`no room ${name}`);
    return row;
  }

  user(id: string): User | undefined {
    const row = this.users.get(id);
    return row && toUser(row);
  }

  message(row: MessageRow): Message {
    const message: Message = {
      id: row.id,
      room: row.room,
      seq: row.seq,
      author: toUser(this.userRow(row.authorId)),
      text: row.text,
      date: row.date,
      likes: this.likesOf(row.id),
    };
    if (row.file) message.file = { ...row.file };
    return message;
  }

  /** Code-unit order, as the SQL stores give them. */
  likesOf(messageId: string): string[] {
    return [...(this.likes.get(messageId) ?? [])].sort();
  }
}

export function toUser(row: UserRow): User {
  return { id: row.id, name: row.name, kind: row.kind };
}

/** The key of the unique (author, clientId) pair. */
export function sentKey(authorId: string, clientId: string): string {
  return JSON.stringify([authorId, clientId]);
}
