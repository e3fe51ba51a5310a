import type { RoomSummary } from '@pockychat/protocol';
import type { Invite, Invitee, Member, MemberRole, NewRoom, Room } from '../model.ts';
import type { OutboxDelivery } from '../../fanout/fanout.ts';
import type { ModerationStore } from './moderation-store.ts';

/** Rooms, their members and invites. */
export interface RoomStore {
  findRoom(name: string): Promise<Room | undefined>;
  /** Creates the room unless it exists; either way returns the room as stored. */
  ensureRoom(room: NewRoom): Promise<Room>;
  isMember(room: string, userId: string): Promise<boolean>;
  /** Adds the member unless already one; the first role given stays. */
  addMember(room: string, userId: string, role: MemberRole, joinedAt: string): Promise<void>;
  memberRole(room: string, userId: string): Promise<MemberRole | undefined>;
  /**
   * Removes a member; true if it was one. With several nodes, `notice` goes
   * in the outbox in the same transaction, if there was a member to remove.
   */
  removeMember(room: string, userId: string, notice?: OutboxDelivery): Promise<boolean>;
  listMembers(room: string): Promise<Member[]>;
  /** Public rooms and the rooms the user belongs to, but none the user is banned from. */
  listRooms(userId: string): Promise<RoomSummary[]>;

  /** Records an invite; inviting twice is one invite. */
  addInvite(room: string, invitee: Invitee, invitedBy: string, createdAt: string): Promise<void>;
  isInvited(room: string, userId: string): Promise<boolean>;
  /** The rooms a user is invited to and has not joined yet, and who invited them. */
  listInvites(userId: string): Promise<Invite[]>;
  deleteInvite(room: string, userId: string): Promise<void>;
  /** Turns invites pending for this email or Facebook id into invites of the user; returns their rooms. */
  claimInvites(userId: string, by: { email?: string; facebookId?: string }): Promise<string[]>;
}

/** What deciding who may read a room takes (permissions.ts): its members, and its bans. */
export type RoomAccess = Pick<RoomStore, 'findRoom' | 'isMember'> & {
  readonly moderation: Pick<ModerationStore, 'isBanned'>;
};
