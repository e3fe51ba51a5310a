import type { User } from '@pockychat/protocol';
import type { NewGroupDm } from '../model.ts';

/** Group direct-message rooms and their fixed participants. */
export interface GroupDmStore {
  /**
   * Creates the room (private, no owner) with its participants, each a
   * member, in one transaction; unless a group DM of exactly this set of
   * people exists, which is returned instead (created false), also when two
   * are created at once.
   */
  createGroupDm(input: NewGroupDm): Promise<{ room: string; created: boolean }>;
  isGroupDmParticipant(room: string, userId: string): Promise<boolean>;
  /** The participants, in id order; empty for a room that is not a group DM. */
  groupDmParticipants(room: string): Promise<User[]>;
  /** The group DMs the user takes part in (left or not), each with its participants. */
  listGroupDms(userId: string): Promise<Array<{ room: string; participants: User[] }>>;
}
