import { inviteLinkLimits, type GroupDm, type User } from '@pockychat/protocol';
import type { Fanout } from '../fanout/fanout.ts';
import { ChatError } from './chat-error.ts';
import type { Clock } from './clock.ts';
import { randomId } from './ids.ts';
import type { GroupDmStore } from './ports/group-dm-store.ts';
import type { UserLookup } from './ports/user-store.ts';

/**
 * Group direct messages: a private room `gdm:<random id>` of 3 to 8 people
 * fixed at creation, with no owner. Each may leave and come back (like a
 * DM); no one can invite, remove, or share a link. One room per set of
 * people: asking for the same set again gives the same room.
 */
export class GroupDms {
  readonly #store: GroupDmStore & Pick<UserLookup, 'findUser'>;
  readonly #fanout: Fanout;
  readonly #clock: Clock;

  constructor(deps: { store: GroupDmStore & Pick<UserLookup, 'findUser'>; fanout: Fanout; clock: Clock }) {
    this.#store = deps.store;
    this.#fanout = deps.fanout;
    this.#clock = deps.clock;
  }

  /** The caller and `userIds` (the caller's own id may be among them). */
  async create(by: User, userIds: readonly string[]): Promise<GroupDm> {
    const others = [...new Set(userIds)].filter((id) => id !== by.id);
    const people = others.length + 1;
    if (people < inviteLinkLimits.minGroupDmPeople || people > inviteLinkLimits.maxGroupDmPeople)
      throw new ChatError(
        'bad_request',
        `a group message has ${inviteLinkLimits.minGroupDmPeople} to ${inviteLinkLimits.maxGroupDmPeople} people, you included`,
      );
    for (const id of others)
      if (!(await this.#store.findUser(id))) throw new ChatError('not_found', `no such user: ${id}`);
    const { room, created } = await this.#store.createGroupDm({
      room: `gdm:${randomId(20)}`,
      participantIds: [by.id, ...others],
      createdAt: new Date(this.#clock.now()).toISOString(),
    });
    // The others hear of the new conversation at once, as of a DM or an invite.
    if (created)
      for (const id of others) this.#fanout.publish({ to: 'user', userId: id, frame: { type: 'invited', room, by } });
    return { room, participants: await this.#store.groupDmParticipants(room) };
  }

  async list(user: User): Promise<GroupDm[]> {
    return this.#store.listGroupDms(user.id);
  }
}
