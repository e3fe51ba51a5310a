import type { Message, RoomSummary, User, UserKind, Visibility } from '@pockychat/protocol';

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
  createUser(user: NewUser): Promise<User>;
  findUser(id: string): Promise<User | undefined>;

  saveToken(tokenHash: string, userId: string, createdAt: string): Promise<void>;
  findUserByToken(tokenHash: string): Promise<User | undefined>;
  deleteToken(tokenHash: string): Promise<void>;

  findRoom(name: string): Promise<Room | undefined>;
  /** Creates the room unless it exists; either way returns the room as stored. */
  ensureRoom(room: NewRoom): Promise<Room>;
  isMember(room: string, userId: string): Promise<boolean>;
  /** Adds the member unless already one; the first role given stays. */
  addMember(room: string, userId: string, role: MemberRole, joinedAt: string): Promise<void>;
  /** Public rooms and the rooms the user belongs to. */
  listRooms(userId: string): Promise<RoomSummary[]>;

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

  /** Adds or removes a like; idempotent. */
  setLike(messageId: string, userId: string, liked: boolean): Promise<LikeResult>;

  /** Waits for writes under way, then releases the database. */
  close(): Promise<void>;
}
