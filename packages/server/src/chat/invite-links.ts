import { randomBytes } from 'node:crypto';
import {
  dmParticipants,
  isGroupDmRoom,
  type CreateLinkBody,
  type InviteLink,
  type LinkPreview,
  type User,
} from '@pockychat/protocol';
import { ChatError } from './chat-error.ts';
import type { Clock } from './clock.ts';
import { hashToken } from './identity.ts';
import { randomId } from './ids.ts';
import { linkRefusal } from './link-rules.ts';
import type { InviteLinkRecord, LinkRefusalReason } from './model.ts';
import type { ModerationGate } from './moderation-gate.ts';
import type { InviteLinkStore } from './ports/invite-link-store.ts';
import type { RoomStore } from './ports/room-store.ts';

type LinkDeps = {
  store: InviteLinkStore & RoomStore;
  clock: Clock;
  /** Bans: a banned user's link join is refused before it takes a use. */
  moderation?: Pick<ModerationGate, 'assertMayJoin'>;
};

/**
 * Usable links a room may hold at once: any member of a public room makes
 * them, so without a bound one member could fill the database with them.
 */
export const MAX_USABLE_LINKS = 100;

/**
 * Dead links (revoked, expired, used up) a room keeps, the last made, so
 * that their codes still answer why they let no one in; older ones are
 * deleted when a link is made, and their codes answer as never made. With
 * MAX_USABLE_LINKS, a room holds at most 200 links however many it makes.
 */
export const KEPT_DEAD_LINKS = 100;

const refusalMessages: Record<LinkRefusalReason, string> = {
  expired: 'this invite link has expired',
  used_up: 'this invite link has been used as many times as it allows',
  revoked: 'this invite link was revoked',
};

/**
 * Invite links: a code anyone holding it may join the room with, until it
 * expires, is used up or is revoked. The code is 144 random bits, shown once
 * to its creator and kept only as a SHA-256 hash (like sign-in tokens): a
 * leaked database or archive lets no one in, and the list shows links by id.
 */
export class InviteLinks {
  readonly #store: LinkDeps['store'];
  readonly #clock: Clock;
  readonly #moderation: LinkDeps['moderation'];

  constructor(deps: LinkDeps) {
    this.#store = deps.store;
    this.#clock = deps.clock;
    this.#moderation = deps.moderation;
  }

  /** The owner of a private room, or any member of a public one, makes a link. */
  async create(by: User, room: string, body: CreateLinkBody): Promise<InviteLink> {
    await this.#assertMayShare(by, room);
    const now = this.#clock.now();
    const code = randomBytes(18).toString('base64url');
    const link = {
      id: randomId(20),
      codeHash: hashToken(code),
      room,
      createdBy: by.id,
      createdAt: new Date(now).toISOString(),
      ...(body.expiresInMinutes !== undefined && {
        expiresAt: new Date(now + body.expiresInMinutes * 60_000).toISOString(),
      }),
      ...(body.maxUses !== undefined && { maxUses: body.maxUses }),
    };
    const made = await this.#store.createInviteLink(link, { usable: MAX_USABLE_LINKS, dead: KEPT_DEAD_LINKS });
    if (made === 'full') {
      throw new ChatError('bad_request', `${room} has ${MAX_USABLE_LINKS} usable invite links: revoke one first`);
    }
    const stored = await this.#store.findInviteLink(link.id);
    if (!stored) throw new Error('an invite link vanished after insert');
    return { ...toWire(stored), code };
  }

  /** The owner sees every usable link of the room; another member of a public room, those it made. */
  async list(by: User, room: string): Promise<InviteLink[]> {
    const role = await this.#assertMayShare(by, room);
    const links = await this.#store.listInviteLinks(room, this.#nowIso(), role === 'owner' ? undefined : by.id);
    return links.map(toWire);
  }

  /** The owner, or the link's maker, revokes it; it refuses every join from then on. */
  async revoke(by: User, room: string, id: string): Promise<void> {
    const link = await this.#store.findInviteLink(id);
    if (!link || link.room !== room) throw new ChatError('not_found', 'no such invite link in this room');
    const role = await this.#store.memberRole(room, by.id);
    if (role !== 'owner' && link.createdBy.id !== by.id)
      throw new ChatError('forbidden', 'only the room’s owner or the link’s maker may revoke it');
    await this.#store.revokeInviteLink(id, this.#nowIso());
  }

  /** What a link leads to, for a signed-in user to decide: unknown codes are not_found. */
  async preview(user: User, code: string): Promise<LinkPreview> {
    const link = await this.#store.findInviteLinkByCode(hashToken(code));
    const room = link && (await this.#store.findRoom(link.room));
    if (!link || !room) throw new ChatError('not_found', 'no such invite link');
    const [members, member] = await Promise.all([
      this.#store.listMembers(room.name),
      this.#store.isMember(room.name, user.id),
    ]);
    const reason = linkRefusal(link, this.#nowIso());
    return {
      room: room.name,
      visibility: room.visibility,
      members: members.length,
      member,
      valid: reason === undefined,
      ...(reason && { reason }),
    };
  }

  /**
   * Makes the caller a member by the link (a private room's invite gate is
   * passed), taking one use atomically; a member already takes none.
   * Expired, used up or revoked: forbidden, saying which; a dead link
   * deleted since (KEPT_DEAD_LINKS) is not_found, as one never made.
   */
  async join(user: User, code: string): Promise<{ room: string }> {
    const codeHash = hashToken(code);
    const link = await this.#store.findInviteLinkByCode(codeHash);
    if (!link) throw new ChatError('not_found', 'no such invite link');
    await this.#moderation?.assertMayJoin(user, link.room);
    const result = await this.#store.redeemInviteLink(codeHash, user.id, this.#nowIso());
    if (result.status === 'unknown') throw new ChatError('not_found', 'no such invite link');
    if (result.status === 'joined' || result.status === 'member') {
      // A pending invite to the room is spent by joining.
      await this.#store.deleteInvite(result.room, user.id);
      return { room: result.room };
    }
    throw new ChatError('forbidden', refusalMessages[result.status]);
  }

  async #assertMayShare(by: User, room: string) {
    if (dmParticipants(room) || isGroupDmRoom(room))
      throw new ChatError('bad_request', 'a direct-message room takes no invite links');
    const found = await this.#store.findRoom(room);
    const role = found && (await this.#store.memberRole(room, by.id));
    if (!found || !role) throw new ChatError('forbidden', `you may not share links to ${room}`);
    if (found.visibility === 'private' && role !== 'owner')
      throw new ChatError('forbidden', 'only the owner may share links to a private room');
    return role;
  }

  #nowIso(): string {
    return new Date(this.#clock.now()).toISOString();
  }
}

function toWire(link: InviteLinkRecord): InviteLink {
  return {
    id: link.id,
    room: link.room,
    createdBy: link.createdBy,
    createdAt: link.createdAt,
    ...(link.expiresAt !== undefined && { expiresAt: link.expiresAt }),
    ...(link.maxUses !== undefined && { maxUses: link.maxUses }),
    uses: link.uses,
  };
}
