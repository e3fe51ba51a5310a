import type { AuditAction, AuditEntry, Message, ModerationAnswer, User } from '@pockychat/protocol';
import { dmParticipants } from '@pockychat/protocol';
import type { Fanout, OutboxDelivery } from '../fanout/fanout.ts';
import { isAdmin } from './admin.ts';
import { ChatError } from './chat-error.ts';
import type { Clock } from './clock.ts';
import { deliveryId, timeOrderedId } from './ids.ts';
import type { Room } from './model.ts';
import { bannedFrom, type ModerationGate } from './moderation-gate.ts';
import type { Page } from './ports/admin-store.ts';
import type { ModerationStore } from './ports/moderation-store.ts';
import type { RoomStore } from './ports/room-store.ts';
import type { UserLookup } from './ports/user-store.ts';

/** Who acts with authority in a room: the server's admin, its owner, or one of its moderators. */
type Authority = 'admin' | 'owner' | 'moderator';

/**
 * A node reads a room's mutes and bans at most once a second: a send checks
 * them from memory (a send is the hot path). A mute, unmute or ban made on
 * this node applies at once; one made on another node within this long.
 */
export const MUTE_CACHE_MS = 1000;

const DEFAULT_PAGE = 50;

/**
 * Per-room moderation: owners make moderators; owners, moderators and the
 * server's admins ban (the user leaves the room on every node and cannot
 * come back, public rooms included), mute for a time and delete messages.
 * Every such act goes to the room's audit log, which its owner and the
 * admins read.
 */
export class Moderation implements ModerationGate {
  readonly #store: ModerationStore;
  readonly #rooms: Pick<RoomStore, 'findRoom' | 'memberRole'> & Pick<UserLookup, 'findUser'>;
  readonly #fanout: Fanout;
  readonly #clock: Clock;
  /** Per room: when each muted user's mute ends (ms), and the banned users (Infinity). */
  readonly #silenced = new Map<string, { readAt: number; until: Map<string, number> }>();
  /** Bumped when this node changes mutes or bans: a read begun before the change does not fill the cache. */
  #silencedChanged = 0;
  /** The time part of this node's last audit id: two acts in one millisecond still list in order. */
  #lastAuditMs = 0;

  /** `bans`: the moderation store; `store`: the rooms' owners and roles, and the users. */
  constructor(deps: {
    bans: ModerationStore;
    store: Pick<RoomStore, 'findRoom' | 'memberRole'> & Pick<UserLookup, 'findUser'>;
    fanout: Fanout;
    clock: Clock;
  }) {
    this.#store = deps.bans;
    this.#rooms = deps.store;
    this.#fanout = deps.fanout;
    this.#clock = deps.clock;
  }

  async ban(actor: User, room: string, targetId: string): Promise<void> {
    const { target } = await this.#actOn(actor, room, targetId, 'ban');
    // Its connections leave the room now, on every node: no frame of the room reaches them after this.
    // With several nodes the store records this in the ban's transaction: it leaves even if this node dies.
    const notice: OutboxDelivery = {
      to: 'user',
      id: deliveryId(),
      userId: target.id,
      unsubscribe: room,
      frame: { type: 'left', room, reason: 'banned' },
    };
    await this.#store.addBan(room, target.id, actor.id, this.#nowIso(), notice);
    this.#forgetRestrictions(room);
    this.#fanout.publish(notice);
    await this.#audit(actor, room, 'ban', { targetUserId: target.id });
  }

  async unban(actor: User, room: string, targetId: string): Promise<void> {
    await this.#authorityIn(actor, room);
    const lifted = await this.#store.removeBan(room, targetId);
    this.#forgetRestrictions(room);
    if (!lifted) throw new ChatError('not_found', 'this user is not banned here');
    await this.#audit(actor, room, 'unban', { targetUserId: targetId });
  }

  async mute(actor: User, room: string, targetId: string, minutes: number): Promise<string> {
    const { target } = await this.#actOn(actor, room, targetId, 'mute');
    const until = new Date(this.#clock.now() + minutes * 60_000).toISOString();
    await this.#store.setMute(room, target.id, until, actor.id);
    this.#forgetRestrictions(room);
    await this.#audit(actor, room, 'mute', { targetUserId: target.id, detail: until });
    return until;
  }

  async unmute(actor: User, room: string, targetId: string): Promise<void> {
    await this.#authorityIn(actor, room);
    const lifted = await this.#store.removeMute(room, targetId);
    this.#forgetRestrictions(room);
    if (!lifted) throw new ChatError('not_found', 'this user is not muted here');
    await this.#audit(actor, room, 'unmute', { targetUserId: targetId });
  }

  /** The owner (or an admin) makes a member a moderator, or a moderator a member again; idempotent. */
  async setModerator(actor: User, room: string, targetId: string, moderator: boolean): Promise<void> {
    const authority = await this.#authorityIn(actor, room);
    if (authority === 'moderator')
      throw new ChatError('forbidden', "only the room's owner or an admin names moderators");
    const role = await this.#rooms.memberRole(room, targetId);
    if (!role) throw new ChatError('not_found', 'not a member of this room');
    if (role === 'owner') throw new ChatError('bad_request', 'the owner is more than a moderator already');
    // Asking for what is already so changes nothing, and logs nothing.
    if ((role === 'moderator') === moderator) return;
    if (!(await this.#store.setModerator(room, targetId, moderator))) {
      throw new ChatError('not_found', 'not a member of this room');
    }
    await this.#audit(actor, room, moderator ? 'moderator_added' : 'moderator_removed', { targetUserId: targetId });
    // Its clients (every tab, every node) show or hide the moderator's actions now, not after a reload.
    this.#fanout.publish({
      to: 'user',
      userId: targetId,
      frame: { type: 'role', room, role: moderator ? 'moderator' : 'member' },
    });
  }

  /** The room's bans and current mutes, for those who may lift them. */
  async state(actor: User, room: string): Promise<ModerationAnswer> {
    await this.#authorityIn(actor, room);
    const [bans, mutes] = await Promise.all([this.#store.listBans(room), this.#store.listMutes(room, this.#nowIso())]);
    return { room, bans, mutes };
  }

  /** The room's audit log, newest first: for its owner and the server's admins. */
  async auditLog(
    actor: User,
    room: string,
    cursor: string | undefined,
    limit: number | undefined,
  ): Promise<Page<AuditEntry>> {
    const authority = await this.#authorityIn(actor, room);
    if (authority === 'moderator')
      throw new ChatError('forbidden', "only the room's owner or an admin reads its audit log");
    return this.#store.listAudit(room, {
      ...(cursor !== undefined && { after: cursor }),
      limit: limit ?? DEFAULT_PAGE,
    });
  }

  async assertMayJoin(user: User, room: string): Promise<void> {
    if (await this.isBanned(user, room)) throw bannedFrom(room);
  }

  isBanned(user: User, room: string): Promise<boolean> {
    return this.#store.isBanned(room, user.id);
  }

  /**
   * Also refuses a banned user: its connections leave the room when the ban
   * reaches their node, and this holds meanwhile (the ban's delivery in the
   * outbox's grace period, or Redis away), at no cost to a send.
   */
  async assertMaySpeak(user: User, room: string): Promise<void> {
    const until = await this.#muteEnd(room, user.id);
    if (until === Infinity) throw bannedFrom(room);
    if (until !== undefined) {
      throw new ChatError('forbidden', `you are muted in ${room} until ${new Date(until).toISOString()}`);
    }
  }

  async mayDeleteAny(user: User, room: Room): Promise<boolean> {
    if (isAdmin(user) || room.ownerId === user.id) return true;
    return (await this.#rooms.memberRole(room.name, user.id)) === 'moderator';
  }

  async deletedByModerator(user: User, room: string, message: Message): Promise<void> {
    await this.#audit(user, room, 'message_deleted', {
      targetUserId: message.author.id,
      messageId: message.id,
      detail: message.text.slice(0, 100),
    });
  }

  /**
   * The checks of a ban or a mute: the actor's authority, then the target.
   * Nobody bans or mutes the owner, nor themself; a moderator does not act
   * on another moderator nor on an admin.
   */
  async #actOn(actor: User, room: string, targetId: string, what: string): Promise<{ target: User }> {
    const authority = await this.#authorityIn(actor, room);
    const target = await this.#rooms.findUser(targetId);
    if (!target) throw new ChatError('not_found', 'no such user');
    if (target.id === actor.id) throw new ChatError('bad_request', `you cannot ${what} yourself`);
    const found = await this.#rooms.findRoom(room);
    if (found?.ownerId === target.id) throw new ChatError('forbidden', `the room's owner cannot be given a ${what}`);
    if (authority === 'moderator') {
      if (isAdmin(target)) throw new ChatError('forbidden', `a moderator cannot ${what} an admin`);
      if ((await this.#rooms.memberRole(room, target.id)) === 'moderator') {
        throw new ChatError('forbidden', `a moderator cannot ${what} another moderator`);
      }
    }
    return { target };
  }

  /** The actor's authority in the room, or forbidden; a direct-message room has no moderation. */
  async #authorityIn(actor: User, room: string): Promise<Authority> {
    if (dmParticipants(room)) throw new ChatError('bad_request', 'a direct-message room has no moderation');
    const role = await this.#rooms.memberRole(room, actor.id);
    if (role === 'owner' || role === 'moderator') return role;
    if (isAdmin(actor)) {
      if (!(await this.#rooms.findRoom(room))) throw new ChatError('not_found', 'no such room');
      return 'admin';
    }
    throw new ChatError('forbidden', `you may not moderate ${room}`);
  }

  async #audit(
    actor: User,
    room: string,
    action: AuditAction,
    about: { targetUserId?: string; messageId?: string; detail?: string },
  ): Promise<void> {
    const now = this.#clock.now();
    this.#lastAuditMs = Math.max(now, this.#lastAuditMs + 1);
    await this.#store.appendAudit({
      id: timeOrderedId(this.#lastAuditMs),
      room,
      at: new Date(now).toISOString(),
      actorId: actor.id,
      action,
      ...about,
    });
  }

  /**
   * When the user's mute in the room ends (ms), if it is muted now, or
   * Infinity if it is banned; from memory, read afresh each MUTE_CACHE_MS.
   */
  async #muteEnd(room: string, userId: string): Promise<number | undefined> {
    const now = this.#clock.now();
    let cached = this.#silenced.get(room);
    if (!cached || now - cached.readAt >= MUTE_CACHE_MS || now < cached.readAt) {
      const changed = this.#silencedChanged;
      const rows = await this.#store.listSilenced(room, new Date(now).toISOString());
      cached = { readAt: now, until: new Map() };
      for (const r of rows) {
        const until = r.until === null ? Infinity : Date.parse(r.until);
        cached.until.set(r.userId, Math.max(until, cached.until.get(r.userId) ?? 0));
      }
      if (changed === this.#silencedChanged) this.#silenced.set(room, cached);
    }
    const until = cached.until.get(userId);
    return until !== undefined && until > now ? until : undefined;
  }

  #forgetRestrictions(room: string): void {
    this.#silencedChanged++;
    this.#silenced.delete(room);
  }

  #nowIso(): string {
    return new Date(this.#clock.now()).toISOString();
  }
}
