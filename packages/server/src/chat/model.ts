import type { FileRef, Message, User, UserKind, Visibility } from '@pockychat/protocol';

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
}

export interface NewRoom {
  name: string;
  visibility: Visibility;
  ownerId: string | null;
  createdAt: string;
}

export type MemberRole = 'owner' | 'member';

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
  | { kind: 'before-seq'; seq: number; limit: number };

export interface LikeResult {
  changed: boolean;
  likes: string[];
}
