import type { Message, RoomSummary, UnreadCounts, User } from '@pockychat/protocol';
import type {
  AccountChange,
  AppendResult,
  FileRecord,
  HistoryRange,
  Invite,
  InviteLinkRecord,
  LinkBounds,
  LinkRedemption,
  NewGroupDm,
  NewInviteLink,
  Invitee,
  ChangeResult,
  MessageChange,
  Member,
  MemberRole,
  NewMessage,
  NewRoom,
  NewUser,
  Room,
  StoredMessage,
} from '../chat/model.ts';
import type { GroupDmStore } from '../chat/ports/group-dm-store.ts';
import type { InviteLinkStore } from '../chat/ports/invite-link-store.ts';
import type { AdminStore } from '../chat/ports/admin-store.ts';
import type { ModerationStore } from '../chat/ports/moderation-store.ts';
import type { MessageStore } from '../chat/ports/message-store.ts';
import type { ReadStore } from '../chat/ports/read-store.ts';
import type { PushStore } from '../chat/ports/push-store.ts';
import type { IndexProgress, SearchCandidate, SearchStore } from '../chat/ports/search-store.ts';
import type { RoomStore } from '../chat/ports/room-store.ts';
import type { ExternalIdentity, ResetTokenRecord, SignInStore } from '../chat/ports/sign-in-store.ts';
import type { Store } from '../chat/ports/store.ts';
import type { TokenNotice, UserStore } from '../chat/ports/user-store.ts';
import type { OutboxDelivery } from '../fanout/fanout.ts';

export interface StoreParts {
  users: UserStore;
  rooms: RoomStore;
  messages: MessageStore;
  reads: ReadStore;
  push: PushStore;
  search: SearchStore;
  links: InviteLinkStore;
  groupDms: GroupDmStore;
  admins: AdminStore;
  moderation: ModerationStore;
  signIns: SignInStore;
  /** Resolves when the database answers. */
  ping(): Promise<void>;
  /** Releases what the parts share (the database), once their writes are done. */
  close(): Promise<void>;
}

/**
 * A whole Store made of one store per area: each call goes to the part
 * that owns it. The SQL and in-memory stores are both built this way.
 */
export class ComposedStore implements Store {
  readonly push: PushStore;
  readonly admins: AdminStore;
  readonly moderation: ModerationStore;
  readonly #users: UserStore;
  readonly #rooms: RoomStore;
  readonly #messages: MessageStore;
  readonly #reads: ReadStore;
  readonly #search: SearchStore;
  readonly #links: InviteLinkStore;
  readonly #groupDms: GroupDmStore;
  readonly #signIns: SignInStore;
  readonly #close: () => Promise<void>;
  readonly #ping: () => Promise<void>;

  constructor(parts: StoreParts) {
    this.#users = parts.users;
    this.#rooms = parts.rooms;
    this.#messages = parts.messages;
    this.#reads = parts.reads;
    this.push = parts.push;
    this.#search = parts.search;
    this.#links = parts.links;
    this.#groupDms = parts.groupDms;
    this.admins = parts.admins;
    this.moderation = parts.moderation;
    this.#signIns = parts.signIns;
    this.#close = () => parts.close();
    this.#ping = () => parts.ping();
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
  deleteToken(tokenHash: string, notice?: TokenNotice): Promise<void> {
    return this.#users.deleteToken(tokenHash, notice);
  }
  deleteTokensOf(userId: string, notice?: TokenNotice): Promise<string[]> {
    return this.#users.deleteTokensOf(userId, notice);
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
  removeMember(room: string, userId: string, notice?: OutboxDelivery): Promise<boolean> {
    return this.#rooms.removeMember(room, userId, notice);
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
  changeMessage(room: string, messageId: string, change: MessageChange): Promise<ChangeResult> {
    return this.#messages.changeMessage(room, messageId, change);
  }

  markRead(userId: string, room: string, seq: number): Promise<boolean> {
    return this.#reads.markRead(userId, room, seq);
  }
  readSeq(userId: string, room: string): Promise<number> {
    return this.#reads.readSeq(userId, room);
  }
  unreadCounts(userId: string): Promise<Map<string, UnreadCounts>> {
    return this.#reads.unreadCounts(userId);
  }

  createInviteLink(link: NewInviteLink, bounds: LinkBounds): Promise<'created' | 'full'> {
    return this.#links.createInviteLink(link, bounds);
  }
  findInviteLink(id: string): Promise<InviteLinkRecord | undefined> {
    return this.#links.findInviteLink(id);
  }
  findInviteLinkByCode(codeHash: string): Promise<InviteLinkRecord | undefined> {
    return this.#links.findInviteLinkByCode(codeHash);
  }
  listInviteLinks(room: string, now: string, createdBy?: string): Promise<InviteLinkRecord[]> {
    return this.#links.listInviteLinks(room, now, createdBy);
  }
  revokeInviteLink(id: string, at: string): Promise<boolean> {
    return this.#links.revokeInviteLink(id, at);
  }
  redeemInviteLink(codeHash: string, userId: string, now: string): Promise<LinkRedemption> {
    return this.#links.redeemInviteLink(codeHash, userId, now);
  }

  createGroupDm(input: NewGroupDm): Promise<{ room: string; created: boolean }> {
    return this.#groupDms.createGroupDm(input);
  }
  isGroupDmParticipant(room: string, userId: string): Promise<boolean> {
    return this.#groupDms.isGroupDmParticipant(room, userId);
  }
  groupDmParticipants(room: string): Promise<User[]> {
    return this.#groupDms.groupDmParticipants(room);
  }
  listGroupDms(userId: string): Promise<Array<{ room: string; participants: User[] }>> {
    return this.#groupDms.listGroupDms(userId);
  }

  saveResetToken(record: ResetTokenRecord): Promise<void> {
    return this.#signIns.saveResetToken(record);
  }
  countResetTokensSince(userId: string, since: string): Promise<number> {
    return this.#signIns.countResetTokensSince(userId, since);
  }
  resetPassword(tokenHash: string, passwordHash: string, now: string): Promise<string | undefined> {
    return this.#signIns.resetPassword(tokenHash, passwordHash, now);
  }
  findUserByIdentity(identity: ExternalIdentity): Promise<User | undefined> {
    return this.#signIns.findUserByIdentity(identity);
  }
  linkIdentity(identity: ExternalIdentity, userId: string, createdAt: string): Promise<void> {
    return this.#signIns.linkIdentity(identity, userId, createdAt);
  }

  ping(): Promise<void> {
    return this.#ping();
  }
  close(): Promise<void> {
    return this.#close();
  }
  searchCandidates(terms: readonly string[], rooms: readonly string[], cap: number): Promise<SearchCandidate[]> {
    return this.#search.searchCandidates(terms, rooms, cap);
  }
  messagesByIds(ids: readonly string[]): Promise<Message[]> {
    return this.#search.messagesByIds(ids);
  }
  publicRoomNames(): Promise<string[]> {
    return this.#search.publicRoomNames();
  }
  memberRoomNames(userId: string): Promise<string[]> {
    return this.#search.memberRoomNames(userId);
  }
  indexExisting(report: (progress: IndexProgress) => void, stopped: () => boolean): Promise<void> {
    return this.#search.indexExisting(report, stopped);
  }
  pendingCount(): Promise<number> {
    return this.#search.pendingCount();
  }
  indexPending(max: number): Promise<number> {
    return this.#search.indexPending(max);
  }
}
