import type { FileRef, Message, RoomSummary, User, UserKind, Visibility } from '@pockychat/protocol';

/**
 * What the domain needs from storage, and nothing about how it is kept.
 * Every implementation passes test/store-contract.ts.
 */

export interface Room {
  name: string;
  visibility: Visibility;
  ownerId: string | null;
  lastSeq: number;
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

export interface Member {
  user: User;
  role: MemberRole;
}

export interface NewRoom {
  name: string;
  visibility: Visibility;
  ownerId: string | null;
  createdAt: string;
}

export type MemberRole = 'owner' | 'member';

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

export interface Store {
  /** Fails (rejects) when the email or Facebook id is taken. */
  createUser(user: NewUser): Promise<User>;
  findUser(id: string): Promise<User | undefined>;
  findUserByEmail(email: string): Promise<{ user: User; passwordHash: string | null } | undefined>;
  findUserByFacebookId(facebookId: string): Promise<User | undefined>;
  /** Turns a guest into an account in place; fails when the email or Facebook id is taken. */
  upgradeGuest(guestId: string, change: AccountChange): Promise<User>;
  /**
   * Moves everything of user `fromId` (memberships, ownerships, messages,
   * likes, invites, tokens) to `intoId` and deletes `fromId`.
   */
  mergeUsers(fromId: string, intoId: string): Promise<void>;

  saveToken(tokenHash: string, userId: string, createdAt: string): Promise<void>;
  findUserByToken(tokenHash: string): Promise<User | undefined>;
  deleteToken(tokenHash: string): Promise<void>;
  /** Deletes every token of the user; returns the hashes deleted (their connections are to be closed). */
  deleteTokensOf(userId: string): Promise<string[]>;

  findRoom(name: string): Promise<Room | undefined>;
  /** Creates the room unless it exists; either way returns the room as stored. */
  ensureRoom(room: NewRoom): Promise<Room>;
  isMember(room: string, userId: string): Promise<boolean>;
  /** Adds the member unless already one; the first role given stays. */
  addMember(room: string, userId: string, role: MemberRole, joinedAt: string): Promise<void>;
  memberRole(room: string, userId: string): Promise<MemberRole | undefined>;
  /** Removes a member; true if it was one. */
  removeMember(room: string, userId: string): Promise<boolean>;
  listMembers(room: string): Promise<Member[]>;
  /** Public rooms and the rooms the user belongs to. */
  listRooms(userId: string): Promise<RoomSummary[]>;

  /** Records an invite; inviting twice is one invite. */
  addInvite(room: string, invitee: Invitee, invitedBy: string, createdAt: string): Promise<void>;
  isInvited(room: string, userId: string): Promise<boolean>;
  /** The rooms a user is invited to and has not joined yet, and who invited them. */
  listInvites(userId: string): Promise<Invite[]>;
  deleteInvite(room: string, userId: string): Promise<void>;
  /** Turns invites pending for this email or Facebook id into invites of the user; returns their rooms. */
  claimInvites(userId: string, by: { email?: string; facebookId?: string }): Promise<string[]>;

  /**
   * Stores a message with the room's next seq, atomically: seq is gap-free
   * and a resent (author, clientId) returns the first message unchanged.
   * Resolves only once the message is durably committed.
   */
  appendMessage(input: NewMessage): Promise<AppendResult>;
  /** The message an author already sent with this clientId, if any. */
  findSent(authorId: string, clientId: string): Promise<StoredMessage | undefined>;
  history(room: string, range: HistoryRange): Promise<Message[]>;
  findMessage(room: string, id: string): Promise<Message | undefined>;

  findFile(id: string): Promise<FileRecord | undefined>;

  /** Adds or removes a like; idempotent. */
  setLike(messageId: string, userId: string, liked: boolean): Promise<LikeResult>;

  /** Resolves when the database answers a trivial query; rejects when it is away. */
  ping(): Promise<void>;

  /** Waits for writes under way, then releases the database. */
  close(): Promise<void>;
}
