import {
  LIKE_EMOJI,
  type FileRef,
  type Message,
  type ReplyRef,
  type User,
  type UserKind,
  type Visibility,
} from '@pockychat/protocol';
import type { NotificationLevel } from '@pockychat/protocol';
import type { MemberRole } from '../../chat/model.ts';
import type { PushSubscriptionRecord } from '../../chat/ports/push-store.ts';
import { TeamTables } from './team-tables.ts';

/**
 * The in-memory store's data, shaped like the SQL tables so that the two
 * keep the same rules: rows refer to users and rooms by key, and what is
 * read (an author's name, a message's reactions) is looked up at read time.
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
  /** 0007-team: one of the server's admins; deactivated by an admin (ISO-8601). */
  admin?: boolean;
  deactivatedAt?: string | null;
}

export interface RoomRow {
  name: string;
  visibility: Visibility;
  ownerId: string | null;
  lastSeq: number;
  lastRev: number;
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
  rev: number;
  editedAt: string | undefined;
  deleted: boolean;
  replyTo: ReplyRef | undefined;
  mentions: string[];
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

/** An invite link (the code itself is never kept: codeHash). */
export interface InviteLinkRow {
  id: string;
  codeHash: string;
  room: string;
  createdBy: string;
  createdAt: string;
  expiresAt: string | undefined;
  maxUses: number | undefined;
  uses: number;
  revokedAt: string | undefined;
}

export interface GroupDmRow {
  /** Null once a merge of users made this set the same as another group's. */
  participantKey: string | null;
  createdAt: string;
  participants: Set<string>;
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
  /** By message id, then emoji: the users who reacted so (a like is ❤️). */
  readonly reactions = new Map<string, Map<string, Set<string>>>();
  /** In the order they were made. */
  invites: InviteRow[] = [];
  /** By file id. */
  readonly files = new Map<string, FileRow>();
  /** Read markers by room, then user id: the seq read up to. */
  readonly readMarkers = new Map<string, Map<string, number>>();
  /** By endpoint. */
  readonly pushSubscriptions = new Map<string, PushSubscriptionRecord>();
  /** By user id, then room. */
  readonly notificationLevels = new Map<string, Map<string, NotificationLevel>>();
  /** By user id: the preview setting, where set. */
  readonly notificationPreviews = new Map<string, boolean>();
  /** By link id, in the order they were made. */
  readonly inviteLinks = new Map<string, InviteLinkRow>();
  /** By room name. */
  readonly groupDms = new Map<string, GroupDmRow>();
  /** Admins' and moderators' tables (memory/team-tables.ts). */
  readonly team = new TeamTables();

  /** The row of a user who must exist (a foreign key). */
  /** Deletes the user's tokens; returns their hashes. */
  deleteTokensOf(userId: string): string[] {
    const deleted: string[] = [];
    for (const [hash, token] of this.tokens) {
      if (token.userId !== userId) continue;
      this.tokens.delete(hash);
      deleted.push(hash);
    }
    return deleted;
  }

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
      rev: row.rev,
      likes: [],
      mentions: [...row.mentions],
      reactions: this.reactionsOf(row.id),
    };
    message.likes = message.reactions[LIKE_EMOJI] ?? [];
    if (row.file) message.file = { ...row.file };
    if (row.editedAt) message.editedAt = row.editedAt;
    if (row.deleted) message.deleted = true;
    if (row.replyTo) message.replyTo = { ...row.replyTo, author: { ...row.replyTo.author } };
    return message;
  }

  /** Users in code-unit order, as the SQL stores give them. */
  reactionsOf(messageId: string): Record<string, string[]> {
    const reactions: Record<string, string[]> = {};
    for (const [emoji, users] of this.reactions.get(messageId) ?? [])
      if (users.size > 0) reactions[emoji] = [...users].sort();
    return reactions;
  }
}

export function toUser(row: UserRow): User {
  return { id: row.id, name: row.name, kind: row.kind };
}

/** The user as itself (me, sign-in): with `admin` when it is one. */
export function toSelf(row: UserRow): User {
  return row.admin ? { ...toUser(row), admin: true } : toUser(row);
}

/** The key of the unique (author, clientId) pair. */
export function sentKey(authorId: string, clientId: string): string {
  return JSON.stringify([authorId, clientId]);
}
