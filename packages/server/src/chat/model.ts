import type { FileRef, Message, ReplyRef, User, UserKind, Visibility } from '@pockychat/protocol';

/**
 * The domain's entities as the stores keep them: what chat/ hands to its
 * ports and gets back. Wire values (User, Message, FileRef) come from the
 * protocol package; these are the ones only the server knows.
 */

export interface Room {
  name: string;
  visibility: Visibility;
  ownerId: string | null;
  lastSeq: number;
  /** The rev of the room's latest change (a message, an edit, a delete, a reaction). */
  lastRev: number;
}

export interface NewRoom {
  name: string;
  visibility: Visibility;
  ownerId: string | null;
  createdAt: string;
}

export type MemberRole = 'owner' | 'moderator' | 'member';

export interface Member {
  user: User;
  role: MemberRole;
}

export interface NewUser {
  id: string;
  name: string;
  kind: UserKind;
  createdAt: string;
  email?: string;
  passwordHash?: string;
  facebookId?: string;
}

/** What turns a guest into an account, keeping its id and so everything it has. */
export interface AccountChange {
  kind: Exclude<UserKind, 'guest'>;
  name: string;
  email?: string;
  passwordHash?: string;
  facebookId?: string;
}

/** Whom an invite is for: a user, or an email or Facebook id that may not have an account yet. */
export type Invitee = { userId: string } | { email: string } | { facebookId: string };

export interface Invite {
  room: string;
  by: User;
}

export interface NewMessage {
  id: string;
  room: string;
  author: User;
  text: string;
  date: string;
  clientId: string;
  clientDate: string | number | undefined;
  /** A shared file, stored with the message in the same transaction. */
  file?: { ref: FileRef; blob: BlobRecord };
  /** The parent as it is when replied to (the domain checked it is in the room). */
  replyTo?: ReplyRef;
  /** Members of the room only (the domain filtered them). */
  mentions?: string[];
}

/** Where a file's bytes are, and what serving them needs. */
export interface BlobRecord {
  blobKey: string;
  sha256: string;
  inline: boolean;
}

export interface FileRecord extends BlobRecord {
  ref: FileRef;
  room: string;
  messageId: string;
}

/** A message as stored: the public Message plus what its author's ack needs. */
export interface StoredMessage {
  message: Message;
  clientId: string;
  clientDate: string | number | undefined;
}

export interface AppendResult extends StoredMessage {
  /** True when this author had already sent this clientId: nothing was stored. */
  duplicate: boolean;
}

export type HistoryRange =
  | { kind: 'since-seq'; seq: number; limit: number }
  | { kind: 'since-date'; date: string; limit: number }
  | { kind: 'before-seq'; seq: number; limit: number }
  | { kind: 'changed-since'; rev: number; limit: number };

/** A change of a stored message; each that changes something takes the room's next rev. */
export type MessageChange =
  | { kind: 'edit'; text: string; editedAt: string }
  | { kind: 'delete' }
  | { kind: 'react'; userId: string; emoji: string; on: boolean };

export type ChangeResult =
  /** Stored, with the room's next rev; `removedFile`: the deleted message's file, whose bytes may go. */
  | { status: 'changed'; message: Message; removedFile?: FileRecord }
  /** Nothing to change (a reaction already there, or not): no rev taken. */
  | { status: 'unchanged'; message: Message }
  /** No such message in the room, or it is deleted. */
  | { status: 'gone' };

export interface NewInviteLink {
  id: string;
  /** SHA-256 of the code (hex): the code itself is shown once, at creation, and never stored. */
  codeHash: string;
  room: string;
  createdBy: string;
  createdAt: string;
  expiresAt?: string;
  maxUses?: number;
}

/** What a room's links are held to, each time one is made (InviteLinkStore.createInviteLink). */
export interface LinkBounds {
  /** Usable links (not revoked, expired or used up) a room may hold: the one past it is not made. */
  usable: number;
  /** Dead links the room keeps, those made last: older dead ones are deleted, their codes unknown from then on. */
  dead: number;
}

export interface InviteLinkRecord {
  id: string;
  room: string;
  createdBy: User;
  createdAt: string;
  expiresAt?: string;
  maxUses?: number;
  uses: number;
  revokedAt?: string;
}

/** Why a link lets no one in any more. */
export type LinkRefusalReason = 'expired' | 'used_up' | 'revoked';

export type LinkRedemption =
  { status: 'joined' | 'member'; room: string } | { status: LinkRefusalReason; room: string } | { status: 'unknown' };

export interface NewGroupDm {
  room: string;
  /** Every participant, the creator included, each once. */
  participantIds: string[];
  createdAt: string;
}
