import type { AckFrame, HistoryQuery, Message, RoomSummary, SendFrame, User, Visibility } from '@pockychat/protocol';
import { LIKE_EMOJI, limits } from '@pockychat/protocol';
import type { Fanout } from '../fanout/fanout.ts';
import type { BlobStore } from '../files/blob-store.ts';
import { ChatError } from './chat-error.ts';
import type { Clock } from './clock.ts';
import { timeOrderedId } from './ids.ts';
import type { HistoryRange, MessageChange, NewMessage, Room } from './model.ts';
import { bannedFrom, type ModerationGate } from './moderation-gate.ts';
import { replyRefOf } from './replies.ts';
import { assertCanRead, assertDmParticipant, assertGroupDmParticipant } from './permissions.ts';
import type { GroupDmStore } from './ports/group-dm-store.ts';
import type { MessageStore } from './ports/message-store.ts';
import type { ReadStore } from './ports/read-store.ts';
import { markRead, withUnreadCounts } from './read-markers.ts';
import type { RoomAccess, RoomStore } from './ports/room-store.ts';
import type { UserStore } from './ports/user-store.ts';
import { RateLimiter } from './rate-limiter.ts';

/** Rooms and messages, and users only to check that a DM's other person exists. */
type ChatStore = RoomStore &
  RoomAccess &
  MessageStore &
  ReadStore &
  Pick<UserStore, 'findUser'> &
  Pick<GroupDmStore, 'isGroupDmParticipant'>;

/** The joining connection's place in the room's deliveries (transport/realtime/connection.ts). */
export interface Subscription {
  subscribe(): Promise<void>;
  unsubscribe(): Promise<void>;
}

export interface ChatDeps {
  store: ChatStore;
  fanout: Fanout;
  clock: Clock;
  rateLimit: { messages: number; windowMs: number };
  /** Where a deleted message's file bytes are removed from. */
  blobs?: Pick<BlobStore, 'delete'>;
  /** Told of a blob that could not be removed (the message is deleted all the same). */
  onBlobLeft?: (key: string, err: unknown) => void;
  /** Told of each new message stored here (not of a resend): pushes start from it, after the ack. */
  onStored?: (message: Message) => void;
  /** Bans, mutes and moderators' deletes (chat/moderation.ts); none: no room is moderated. */
  moderation?: ModerationGate;
}

/**
 * The rooms, their members, messages and likes. Knows nothing of sockets
 * or SQL: callers hand it a User the transport authenticated, it answers
 * with protocol values or throws ChatError.
 */
export class ChatService {
  readonly #store: ChatStore;
  readonly #fanout: Fanout;
  readonly #clock: Clock;
  readonly #sendLimiter: RateLimiter;
  readonly #typingLimiter: RateLimiter;
  readonly #blobs: ChatDeps['blobs'];
  readonly #onBlobLeft: NonNullable<ChatDeps['onBlobLeft']>;
  readonly #onStored: ChatDeps['onStored'];
  readonly #moderation: ModerationGate | undefined;

  constructor(deps: ChatDeps) {
    this.#store = deps.store;
    this.#blobs = deps.blobs;
    this.#onBlobLeft = deps.onBlobLeft ?? (() => undefined);
    this.#onStored = deps.onStored;
    this.#moderation = deps.moderation;
    this.#fanout = deps.fanout;
    this.#clock = deps.clock;
    this.#sendLimiter = new RateLimiter({
      limit: deps.rateLimit.messages,
      windowMs: deps.rateLimit.windowMs,
      clock: deps.clock,
    });
    this.#typingLimiter = new RateLimiter({ limit: 5, windowMs: 5000, clock: deps.clock });
  }

  /**
   * Makes the user a member (creating the room if it is new), then
   * subscribes the connection and only after it reads the room's last seq
   * and rev: every message and change past them is then sure to reach the
   * new subscriber, so a client that catches up with history?since=lastSeq
   * (or changedSince=lastRev) misses nothing.
   */
  async join(
    user: User,
    roomName: string,
    visibility: Visibility | undefined,
    subscription: Subscription,
  ): Promise<{ lastSeq: number; lastRev: number; readSeq: number }> {
    const dmPair = assertDmParticipant(user, roomName);
    await this.#moderation?.assertMayJoin(user, roomName);
    const groupDm = await assertGroupDmParticipant(this.#store, user, roomName);
    const existing = await this.#store.findRoom(roomName);
    const room = existing ?? (await this.#create(user, roomName, visibility, dmPair));
    await this.#admit(user, room, dmPair !== undefined || groupDm === true);
    await subscription.subscribe();
    await this.#undoIfBannedMeanwhile(user, roomName, subscription);
    const current = (await this.#store.findRoom(roomName)) ?? room;
    const readSeq = await this.#store.readSeq(user.id, roomName);
    return { lastSeq: current.lastSeq, lastRev: current.lastRev, readSeq };
  }

  /**
   * A ban that lands while a join is under way finds no subscription to end,
   * and #admit may add back the membership it deleted. Checked again once
   * subscribed: a ban stored before this check is seen here; one stored
   * after publishes its unsubscribe after this subscription, which it ends.
   * Only a ban found undoes the membership: a failed read leaves it.
   */
  async #undoIfBannedMeanwhile(user: User, roomName: string, subscription: Subscription): Promise<void> {
    if (!this.#moderation) return;
    let banned: boolean;
    try {
      banned = await this.#moderation.isBanned(user, roomName);
    } catch (err) {
      await subscription.unsubscribe();
      throw err;
    }
    if (!banned) return;
    await subscription.unsubscribe();
    await this.#store.removeMember(roomName, user.id);
    throw bannedFrom(roomName);
  }

  /**
   * Anyone may enter a public room; a private one takes a member, or an
   * invitee (who becomes one). A DM room always takes its two users, a group
   * DM its participants (only they get this far): no one can invite to
   * them, so one who left for good could otherwise never write there again.
   */
  async #admit(user: User, room: Room, dmParticipant: boolean): Promise<void> {
    if (await this.#store.isMember(room.name, user.id)) return;
    const open = room.visibility === 'public' || dmParticipant;
    const invited = !open && (await this.#store.isInvited(room.name, user.id));
    if (!open && !invited) throw new ChatError('forbidden', `you may not join ${room.name}`);
    await this.#store.addMember(room.name, user.id, 'member', this.#nowIso());
    if (invited) await this.#store.deleteInvite(room.name, user.id);
  }

  async #create(
    user: User,
    name: string,
    visibility: Visibility | undefined,
    dmPair: [string, string] | undefined,
  ): Promise<Room> {
    const now = this.#nowIso();
    if (dmPair) {
      const other = dmPair[0] === user.id ? dmPair[1] : dmPair[0];
      if (!(await this.#store.findUser(other))) throw new ChatError('not_found', 'no such user');
      const room = await this.#store.ensureRoom({ name, visibility: 'private', ownerId: null, createdAt: now });
      for (const id of dmPair) await this.#store.addMember(name, id, 'member', now);
      // The other person hears of the new conversation at once, as of an invite.
      this.#fanout.publish({ to: 'user', userId: other, frame: { type: 'invited', room: name, by: user } });
      return room;
    }
    const room = await this.#store.ensureRoom({
      name,
      visibility: visibility ?? 'private',
      ownerId: user.id,
      createdAt: now,
    });
    // Two users may create the same room at once: only the one stored as owner becomes it.
    if (room.ownerId === user.id) await this.#store.addMember(name, user.id, 'owner', now);
    return room;
  }

  /** Stores a message and broadcasts it; a resent clientId gets the first ack and nothing else. */
  async send(user: User, frame: Omit<SendFrame, 'type'> & { file?: NewMessage['file'] }): Promise<AckFrame> {
    if (!this.#sendLimiter.take(user.id)) {
      const sent = await this.#store.findSent(user.id, frame.clientId);
      if (sent) return ack(sent.clientId, sent.clientDate, sent.message);
      throw new ChatError('rate_limited', 'too many messages; wait a few seconds');
    }
    await this.#moderation?.assertMaySpeak(user, frame.room);
    // A plain send reads nothing more: replies and mentions cost only those that have them.
    const replyTo = frame.replyTo === undefined ? undefined : await this.#replyRef(frame.room, frame.replyTo);
    const mentions = frame.mentions?.length ? await this.#members(frame.room, frame.mentions) : undefined;
    const result = await this.#store.appendMessage({
      id: timeOrderedId(this.#clock.now()),
      room: frame.room,
      author: user,
      text: frame.text,
      date: this.#nowIso(),
      clientId: frame.clientId,
      clientDate: frame.clientDate,
      ...(frame.file && { file: frame.file }),
      ...(replyTo && { replyTo }),
      ...(mentions && { mentions }),
    });
    if (!result.duplicate) {
      this.#fanout.publish({ to: 'room', room: frame.room, frame: { type: 'message', message: result.message } });
      this.#onStored?.(result.message);
    }
    return ack(result.clientId, result.clientDate, result.message);
  }

  /** forbidden if the user is muted in the room: an upload asks before it streams its bytes. */
  async assertMaySpeak(user: User, roomName: string): Promise<void> {
    await this.#moderation?.assertMaySpeak(user, roomName);
  }

  /** like/unlike: the reaction ❤️. */
  async setLike(user: User, roomName: string, messageId: string, liked: boolean): Promise<void> {
    return this.react(user, roomName, messageId, LIKE_EMOJI, liked);
  }

  /** Adds or removes the user's reaction; idempotent. Any reader of the room may. */
  async react(user: User, roomName: string, messageId: string, emoji: string, on: boolean): Promise<void> {
    await assertCanRead(this.#store, user, roomName);
    await this.#moderation?.assertMaySpeak(user, roomName);
    await this.#change(roomName, messageId, { kind: 'react', userId: user.id, emoji, on }, emoji === LIKE_EMOJI);
  }

  /** Replaces the text of the user's own message. */
  async edit(user: User, roomName: string, messageId: string, text: string): Promise<void> {
    await assertCanRead(this.#store, user, roomName);
    const message = await this.#live(roomName, messageId);
    if (message.author.id !== user.id) throw new ChatError('forbidden', 'only its author may edit a message');
    await this.#moderation?.assertMaySpeak(user, roomName);
    await this.#change(roomName, messageId, { kind: 'edit', text, editedAt: this.#nowIso() }, false);
  }

  /** Leaves a tombstone in the message's place; its author, the room's owner or moderators, or an admin may. */
  async delete(user: User, roomName: string, messageId: string): Promise<void> {
    const room = await assertCanRead(this.#store, user, roomName);
    const message = await this.#live(roomName, messageId);
    const own = message.author.id === user.id;
    if (!own && room.ownerId !== user.id && !(await this.#moderation?.mayDeleteAny(user, room)))
      throw new ChatError('forbidden', "only its author, the room's owner or a moderator may delete a message");
    await this.#change(roomName, messageId, { kind: 'delete' }, message.likes.length > 0);
    if (!own) await this.#moderation?.deletedByModerator(user, roomName, message);
  }

  /** A message of the room that is not deleted, or not_found. */
  async #live(roomName: string, messageId: string): Promise<Message> {
    const message = await this.#store.findMessage(roomName, messageId);
    if (!message || message.deleted) throw new ChatError('not_found', 'no such message in this room');
    return message;
  }

  /**
   * Stores the change (the store re-checks, in its transaction, that the
   * message is there and not deleted), then tells the room: `updated`, and
   * the v1 `likes` frame too when ❤️ changed (a like, or the delete of a
   * liked message). A deleted file's bytes go
   * after the commit: a crash before leaves bytes no record points to, never
   * a record without bytes.
   */
  async #change(roomName: string, messageId: string, change: MessageChange, touchesLikes: boolean): Promise<void> {
    const result = await this.#store.changeMessage(roomName, messageId, change);
    if (result.status === 'gone') throw new ChatError('not_found', 'no such message in this room');
    if (result.status === 'unchanged') return;
    const { message } = result;
    if (touchesLikes)
      this.#fanout.publish({
        to: 'room',
        room: roomName,
        frame: { type: 'likes', room: roomName, messageId, likes: message.likes },
      });
    this.#fanout.publish({ to: 'room', room: roomName, frame: { type: 'updated', message } });
    if (result.removedFile && this.#blobs) {
      const key = result.removedFile.blobKey;
      await this.#blobs.delete(key).catch((err: unknown) => this.#onBlobLeft(key, err));
    }
  }

  async #replyRef(roomName: string, parentId: string) {
    const parent = await this.#store.findMessage(roomName, parentId);
    if (!parent || parent.deleted) throw new ChatError('not_found', 'the message replied to is not in this room');
    return replyRefOf(parent);
  }

  /** The ids of these users that are members of the room, once each, in the order given. */
  async #members(roomName: string, ids: readonly string[]): Promise<string[]> {
    const unique = [...new Set(ids)];
    const member = await Promise.all(unique.map((id) => this.#store.isMember(roomName, id)));
    return unique.filter((_, i) => member[i]);
  }

  /** A message's like list as stored now; undefined if the room has no such message. */
  async likesOf(roomName: string, messageId: string): Promise<string[] | undefined> {
    return (await this.#store.findMessage(roomName, messageId))?.likes;
  }

  /** Tells the others in the room; quietly dropped past a few a second. */
  typing(user: User, room: string): void {
    if (!this.#typingLimiter.take(user.id)) return;
    this.#fanout.publish({ to: 'room', room, exceptUserId: user.id, frame: { type: 'typing', room, user } });
  }

  /**
   * A page of history. With changedSince, also the room's lastRev, read
   * before the page: asking from it next misses nothing (a change committed
   * between the two reads comes again, never not at all).
   */
  async history(user: User, query: HistoryQuery): Promise<{ messages: Message[]; lastRev?: number }> {
    const room = await assertCanRead(this.#store, user, query.room);
    const range = rangeOf(query);
    const messages = await this.#store.history(query.room, range);
    if (query.changedSince === undefined) return { messages };
    const full = messages.length >= range.limit;
    return { messages, lastRev: lastRevOf(messages, query.changedSince, full ? undefined : room.lastRev) };
  }

  async lastSeq(room: string): Promise<number> {
    return (await this.lastPlace(room)).lastSeq;
  }

  /** The room's last seq and rev (0 and 0 for a room that is not there). */
  async lastPlace(room: string): Promise<{ lastSeq: number; lastRev: number }> {
    const found = await this.#store.findRoom(room);
    return { lastSeq: found?.lastSeq ?? 0, lastRev: found?.lastRev ?? 0 };
  }

  /** The public rooms and the user's own, with its read markers and unread counts on its own. */
  async rooms(user: User): Promise<RoomSummary[]> {
    return withUnreadCounts(this.#store, user.id, await this.#store.listRooms(user.id));
  }

  /** The `read` frame: see read-markers.ts. `connectionId`: the asking connection, not told. */
  async markRead(user: User, room: string, seq: number, connectionId?: string): Promise<void> {
    return markRead({ store: this.#store, fanout: this.#fanout }, user, room, seq, connectionId);
  }

  #nowIso(): string {
    return new Date(this.#clock.now()).toISOString();
  }
}

/**
 * The rev a client has everything up to after applying this page: the last
 * message's rev when the page is full (more may follow), else the higher of
 * it and the room's rev as read before the page (revs commit in order, so
 * every change up to that one was committed, and is in this page if newer
 * than `since`).
 */
function lastRevOf(messages: Message[], since: number, roomRev: number | undefined): number {
  const last = messages.at(-1)?.rev ?? since;
  return Math.max(last, roomRev ?? 0, since);
}

function rangeOf(query: HistoryQuery): HistoryRange {
  const limit = query.limit ?? limits.historyDefaultLimit;
  if (query.changedSince !== undefined) return { kind: 'changed-since', rev: query.changedSince, limit };
  if (query.before !== undefined) return { kind: 'before-seq', seq: query.before, limit };
  if (query.since && 'date' in query.since) return { kind: 'since-date', date: query.since.date, limit };
  return { kind: 'since-seq', seq: query.since?.seq ?? 0, limit };
}

function ack(clientId: string, clientDate: string | number | undefined, message: Message): AckFrame {
  return clientDate === undefined ? { type: 'ack', clientId, message } : { type: 'ack', clientId, clientDate, message };
}
