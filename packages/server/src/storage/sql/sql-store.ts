import type { Kysely } from 'kysely';
import { Migrator, type MigrationProvider } from 'kysely/migration';
import type { Message, RoomSummary, User } from '@pockychat/protocol';
import type {
  AccountChange,
  AppendResult,
  FileRecord,
  HistoryRange,
  Invite,
  Invitee,
  LikeResult,
  Member,
  MemberRole,
  NewMessage,
  NewRoom,
  NewUser,
  Room,
  StoredMessage,
} from '../../chat/model.ts';
import type { Store } from '../../chat/ports/store.ts';
import type { Database } from '../schema.ts';
import type { SqlDialectOps } from './dialect-ops.ts';
import { SqlMessageStore } from './sql-message-store.ts';
import { SqlRoomStore } from './sql-room-store.ts';
import { SqlUserStore } from './sql-user-store.ts';

/** Brings a database's schema up to date; throws if a migration fails. */
export async function migrate(db: Kysely<Database>, provider: MigrationProvider): Promise<void> {
  const { error } = await new Migrator({ db, provider }).migrateToLatest();
  if (error) {
    await db.destroy();
    throw error instanceof Error ? error : new Error(`migration failed: ${JSON.stringify(error)}`);
  }
}

/**
 * The whole Store over Kysely, shared by SQLite and PostgreSQL: the user,
 * room and message stores on one database. A merge of users first lets the
 * message writes under way commit, and close lets them all finish.
 */
export class SqlStore implements Store {
  readonly #db: Kysely<Database>;
  readonly #ops: SqlDialectOps;
  readonly #users: SqlUserStore;
  readonly #rooms: SqlRoomStore;
  readonly #messages: SqlMessageStore;

  constructor(db: Kysely<Database>, ops: SqlDialectOps) {
    this.#db = db;
    this.#ops = ops;
    this.#messages = new SqlMessageStore(db, ops);
    this.#users = new SqlUserStore(db, ops, () => this.#messages.idle());
    this.#rooms = new SqlRoomStore(db);
  }

  createUser(user: NewUser): Promise<User> {
    return this.#users.createUser(user);
  }
  findUser(id: string): Promise<User | undefined> {
    return this.#users.findUser(id);
  }
  findUserByEmail(email: string): Promise<{ user: User; passwordHash: string | null } | undefined> {
    return this.#users.findUserByEmail(email);
  }
  findUserByFacebookId(facebookId: string): Promise<User | undefined> {
    return this.#users.findUserByFacebookId(facebookId);
  }
  upgradeGuest(guestId: string, change: AccountChange): Promise<User> {
    return this.#users.upgradeGuest(guestId, change);
  }
  mergeUsers(fromId: string, intoId: string): Promise<void> {
    return this.#users.mergeUsers(fromId, intoId);
  }
  saveToken(tokenHash: string, userId: string, createdAt: string): Promise<void> {
    return this.#users.saveToken(tokenHash, userId, createdAt);
  }
  findUserByToken(tokenHash: string): Promise<User | undefined> {
    return this.#users.findUserByToken(tokenHash);
  }
  deleteToken(tokenHash: string): Promise<void> {
    return this.#users.deleteToken(tokenHash);
  }
  deleteTokensOf(userId: string): Promise<void> {
    return this.#users.deleteTokensOf(userId);
  }

  findRoom(name: string): Promise<Room | undefined> {
    return this.#rooms.findRoom(name);
  }
  ensureRoom(room: NewRoom): Promise<Room> {
    return this.#rooms.ensureRoom(room);
  }
  isMember(room: string, userId: string): Promise<boolean> {
    return this.#rooms.isMember(room, userId);
  }
  addMember(room: string, userId: string, role: MemberRole, joinedAt: string): Promise<void> {
    return this.#rooms.addMember(room, userId, role, joinedAt);
  }
  memberRole(room: string, userId: string): Promise<MemberRole | undefined> {
    return this.#rooms.memberRole(room, userId);
  }
  removeMember(room: string, userId: string): Promise<boolean> {
    return this.#rooms.removeMember(room, userId);
  }
  listMembers(room: string): Promise<Member[]> {
    return this.#rooms.listMembers(room);
  }
  listRooms(userId: string): Promise<RoomSummary[]> {
    return this.#rooms.listRooms(userId);
  }
  addInvite(room: string, invitee: Invitee, invitedBy: string, createdAt: string): Promise<void> {
    return this.#rooms.addInvite(room, invitee, invitedBy, createdAt);
  }
  isInvited(room: string, userId: string): Promise<boolean> {
    return this.#rooms.isInvited(room, userId);
  }
  listInvites(userId: string): Promise<Invite[]> {
    return this.#rooms.listInvites(userId);
  }
  deleteInvite(room: string, userId: string): Promise<void> {
    return this.#rooms.deleteInvite(room, userId);
  }
  claimInvites(userId: string, by: { email?: string; facebookId?: string }): Promise<string[]> {
    return this.#rooms.claimInvites(userId, by);
  }

  appendMessage(input: NewMessage): Promise<AppendResult> {
    return this.#messages.appendMessage(input);
  }
  findSent(authorId: string, clientId: string): Promise<StoredMessage | undefined> {
    return this.#messages.findSent(authorId, clientId);
  }
  history(room: string, range: HistoryRange): Promise<Message[]> {
    return this.#messages.history(room, range);
  }
  findMessage(room: string, id: string): Promise<Message | undefined> {
    return this.#messages.findMessage(room, id);
  }
  findFile(id: string): Promise<FileRecord | undefined> {
    return this.#messages.findFile(id);
  }
  setLike(messageId: string, userId: string, liked: boolean): Promise<LikeResult> {
    return this.#messages.setLike(messageId, userId, liked);
  }

  async close(): Promise<void> {
    await this.#messages.idle();
    // Kysely serialises on its single SQLite connection, so destroy() runs
    // after every query already queued, including open transactions.
    await this.#ops.beforeClose?.(this.#db).catch(() => undefined);
    await this.#db.destroy();
  }
}
