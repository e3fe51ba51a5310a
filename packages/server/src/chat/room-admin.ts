import { dmParticipants, isGroupDmRoom, type InviteBody, type User } from '@pockychat/protocol';
import type { Fanout, OutboxDelivery } from '../fanout/fanout.ts';
import { ChatError } from './chat-error.ts';
import type { Clock } from './clock.ts';
import { deliveryId } from './ids.ts';
import type { Invite, Invitee, Member } from './model.ts';
import { assertCanRead } from './permissions.ts';
import type { RoomAccess, RoomStore } from './ports/room-store.ts';
import type { UserLookup } from './ports/user-store.ts';

/** Invites, members, leaving for good and removal: the rooms' membership beyond joining. */
export class RoomAdmin {
  readonly #store: RoomStore & RoomAccess & UserLookup;
  readonly #fanout: Fanout;
  readonly #clock: Clock;

  constructor(deps: { store: RoomStore & RoomAccess & UserLookup; fanout: Fanout; clock: Clock }) {
    this.#store = deps.store;
    this.#fanout = deps.fanout;
    this.#clock = deps.clock;
  }

  /**
   * A member invites a user, or an email or Facebook id. When the invitee
   * has an account, its open connections hear of it at once; otherwise the
   * invite waits for that person's first sign-in.
   */
  async invite(by: User, room: string, body: InviteBody): Promise<Invitee> {
    if (dmParticipants(room)) throw new ChatError('bad_request', 'a direct-message room has exactly its two users');
    if (isGroupDmRoom(room)) throw new ChatError('bad_request', 'a group message keeps the people it was started with');
    if (!(await this.#store.memberRole(room, by.id))) throw new ChatError('forbidden', `you may not invite to ${room}`);
    const invitee = await this.#resolve(body);
    if ('userId' in invitee && (await this.#store.memberRole(room, invitee.userId))) return invitee;
    await this.#store.addInvite(room, invitee, by.id, new Date(this.#clock.now()).toISOString());
    if ('userId' in invitee) {
      this.#fanout.publish({ to: 'user', userId: invitee.userId, frame: { type: 'invited', room, by } });
    }
    return invitee;
  }

  async #resolve(body: InviteBody): Promise<Invitee> {
    if ('userId' in body) {
      if (!(await this.#store.findUser(body.userId))) throw new ChatError('not_found', 'no such user');
      return body;
    }
    const user =
      'email' in body
        ? (await this.#store.findUserByEmail(body.email))?.user
        : await this.#store.findUserByFacebookId(body.facebookId);
    return user ? { userId: user.id } : body;
  }

  async invites(user: User): Promise<Invite[]> {
    return this.#store.listInvites(user.id);
  }

  async members(user: User, room: string): Promise<Member[]> {
    await assertCanRead(this.#store, user, room);
    return this.#store.listMembers(room);
  }

  /**
   * A member leaves for good (target is themself), or the owner removes a
   * member. Either way the removed user's connections are unsubscribed now,
   * on every node (with several nodes, the store records this in the
   * removal's transaction: it leaves even if this node dies).
   */
  async remove(actor: User, room: string, targetId: string): Promise<void> {
    const actorRole = await this.#store.memberRole(room, actor.id);
    if (!actorRole || (targetId !== actor.id && actorRole !== 'owner')) {
      throw new ChatError('forbidden', `you may not remove members of ${room}`);
    }
    const notice: OutboxDelivery = {
      to: 'user',
      id: deliveryId(),
      userId: targetId,
      unsubscribe: room,
      frame: { type: 'left', room, reason: targetId === actor.id ? 'left' : 'removed' },
    };
    if (!(await this.#store.removeMember(room, targetId, notice))) throw new ChatError('not_found', 'not a member');
    this.#fanout.publish(notice);
    await this.#store.deleteInvite(room, targetId);
  }
}
