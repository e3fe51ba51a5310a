import type { AckFrame, HistoryQuery, Message, RoomSummary, SendFrame, User, Visibility } from '@pockychat/protocol';
import { limits } from '@pockychat/protocol';
import type { Fanout } from '../fanout/fanout.ts';
import { ChatError } from './chat-error.ts';
import type { Clock } from './clock.ts';
import { timeOrderedId } from './ids.ts';
import type { HistoryRange, NewMessage, Room } from './model.ts';
import { assertCanRead, assertDmParticipant } from './permissions.ts';
import type { MessageStore } from './ports/message-store.ts';
import type { RoomStore } from './ports/room-store.ts';
import type { UserStore } from './ports/user-store.ts';
import { RateLimiter } from './rate-limiter.ts';

/** Rooms and messages, and users only to check that a DM's other person exists. */
type ChatStore = RoomStore & MessageStore & Pick<UserStore, 'findUser'>;

export interface ChatDeps {
  store: ChatStore;
  fanout: Fanout;
  clock: Clock;
  rateLimit: { messages: number; windowMs: number };
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

  constructor(deps: ChatDeps) {
    this.#store = deps.store;
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
   * Makes the user a member (creating the room if it is new), then calls
   * `subscribe` and only after it reads the room's last seq: every message
   * past that seq is then sure to reach the new subscriber, so a client
   * that catches up with history?since=lastSeq misses nothing.
   */
  async join(
    user: User,
    roomName: string,
    visibility: Visibility | undefined,
    subscribe: () => Promise<void>,
  ): Promise<{ lastSeq: number }> {
    const dmPair = assertDmParticipant(user, roomName);
    const existing = await this.#store.findRoom(roomName);
    const room = existing ?? (await this.#create(user, roomName, visibility, dmPair));
    await this.#admit(user, room, dmPair !== undefined);
    await subscribe();
    const current = await this.#store.findRoom(roomName);
    return { lastSeq: current?.lastSeq ?? room.lastSeq };
  }

  /**
   * Anyone may enter a public room; a private one takes a member, or an
   * invitee (who becomes one). A DM room always takes its two users (only
   * they get this far): no one can invite to a DM, so one who left it for
   * good could otherwise never write to that person again.
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
    const result = await this.#store.appendMessage({
      id: timeOrderedId(this.#clock.now()),
      room: frame.room,
      author: user,
      text: frame.text,
      date: this.#nowIso(),
      clientId: frame.clientId,
      clientDate: frame.clientDate,
      ...(frame.file && { file: frame.file }),
    });
    if (!result.duplicate)
      this.#fanout.publish({ to: 'room', room: frame.room, frame: { type: 'message', message: result.message } });
    return ack(result.clientId, result.clientDate, result.message);
  }

  async setLike(user: User, roomName: string, messageId: string, liked: boolean): Promise<void> {
    await assertCanRead(this.#store, user, roomName);
    if (!(await this.#store.findMessage(roomName, messageId)))
      throw new ChatError('not_found', 'no such message in this room');
    const { changed, likes } = await this.#store.setLike(messageId, user.id, liked);
    if (changed)
      this.#fanout.publish({ to: 'room', room: roomName, frame: { type: 'likes', room: roomName, messageId, likes } });
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

  async history(user: User, query: HistoryQuery): Promise<Message[]> {
    await assertCanRead(this.#store, user, query.room);
    return this.#store.history(query.room, rangeOf(query));
  }

  async lastSeq(room: string): Promise<number> {
    return (await this.#store.findRoom(room))?.lastSeq ?? 0;
  }

  /** The public rooms and the user's own. */
  async rooms(user: User): Promise<RoomSummary[]> {
    return this.#store.listRooms(user.id);
  }

  #nowIso(): string {
    return new Date(this.#clock.now()).toISOString();
  }
}

function rangeOf(query: HistoryQuery): HistoryRange {
  const limit = query.limit ?? limits.historyDefaultLimit;
  if (query.before !== undefined) return { kind: 'before-seq', seq: query.before, limit };
  if (query.since && 'date' in query.since) return { kind: 'since-date', date: query.since.date, limit };
  return { kind: 'since-seq', seq: query.since?.seq ?? 0, limit };
}

function ack(clientId: string, clientDate: string | number | undefined, message: Message): AckFrame {
  return clientDate === undefined ? { type: 'ack', clientId, message } : { type: 'ack', clientId, clientDate, message };
}
