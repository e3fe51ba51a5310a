import type { RoomSummary } from '@pockychat/protocol';
import type { Invite, Invitee, Member, MemberRole, NewRoom, Room } from '../../chat/model.ts';
import type { RoomStore } from '../../chat/ports/room-store.ts';
import { toUser, type InviteRow, type MembershipRow, type MemoryTables, type RoomRow } from './tables.ts';

/** Rooms, memberships and invites in memory. */
export class MemoryRoomStore implements RoomStore {
  readonly #t: MemoryTables;

  constructor(tables: MemoryTables) {
    this.#t = tables;
  }

  async findRoom(name: string): Promise<Room | undefined> {
    const row = this.#t.rooms.get(name);
    return row && toRoom(row);
  }

  async ensureRoom(room: NewRoom): Promise<Room> {
    if (!this.#t.rooms.has(room.name)) {
      if (room.ownerId !== null) this.#t.userRow(room.ownerId);
      this.#t.rooms.set(room.name, { ...room, lastSeq: 0, lastRev: 0 });
    }
    return toRoom(this.#t.roomRow(room.name));
  }

  async isMember(room: string, userId: string): Promise<boolean> {
    return this.#t.memberships.get(room)?.has(userId) ?? false;
  }

  async addMember(room: string, userId: string, role: MemberRole, joinedAt: string): Promise<void> {
    this.#t.roomRow(room);
    this.#t.userRow(userId);
    let members = this.#t.memberships.get(room);
    if (!members) this.#t.memberships.set(room, (members = new Map<string, MembershipRow>()));
    if (!members.has(userId)) members.set(userId, { role, joinedAt });
  }

  async memberRole(room: string, userId: string): Promise<MemberRole | undefined> {
    return this.#t.memberships.get(room)?.get(userId)?.role;
  }

  async removeMember(room: string, userId: string): Promise<boolean> {
    return this.#t.memberships.get(room)?.delete(userId) ?? false;
  }

  async listMembers(room: string): Promise<Member[]> {
    const members = [...(this.#t.memberships.get(room) ?? [])].map(([id, m]) => ({
      user: toUser(this.#t.userRow(id)),
      role: m.role,
    }));
    return members.sort((a, b) => compare(a.user.name, b.user.name));
  }

  async listRooms(userId: string): Promise<RoomSummary[]> {
    const rooms: RoomSummary[] = [];
    for (const row of this.#t.rooms.values()) {
      const members = this.#t.memberships.get(row.name);
      const member = members?.has(userId) ?? false;
      const banned = this.#t.team.bans.get(row.name)?.has(userId) ?? false;
      if ((row.visibility !== 'public' && !member) || banned) continue;
      rooms.push({ name: row.name, visibility: row.visibility, members: members?.size ?? 0, member });
    }
    return rooms.sort((a, b) => compare(a.name, b.name));
  }

  async addInvite(room: string, invitee: Invitee, invitedBy: string, createdAt: string): Promise<void> {
    this.#t.roomRow(room);
    const row: InviteRow = {
      room,
      userId: 'userId' in invitee ? invitee.userId : null,
      email: 'email' in invitee ? invitee.email : null,
      facebookId: 'facebookId' in invitee ? invitee.facebookId : null,
      invitedBy,
      createdAt,
    };
    if (row.userId !== null) this.#t.userRow(row.userId);
    if (!this.#t.invites.some((other) => sameInvitee(other, row))) this.#t.invites.push(row);
  }

  async isInvited(room: string, userId: string): Promise<boolean> {
    return this.#t.invites.some((i) => i.room === room && i.userId === userId);
  }

  /** Like the SQL join on the inviter: an invite whose inviter is gone is not listed. */
  async listInvites(userId: string): Promise<Invite[]> {
    const invites: Array<Invite & { createdAt: string }> = [];
    for (const row of this.#t.invites) {
      const by = row.userId === userId ? this.#t.user(row.invitedBy) : undefined;
      if (by) invites.push({ room: row.room, by, createdAt: row.createdAt });
    }
    invites.sort((a, b) => compare(a.createdAt, b.createdAt));
    return invites.map(({ room, by }) => ({ room, by }));
  }

  async deleteInvite(room: string, userId: string): Promise<void> {
    this.#t.invites = this.#t.invites.filter((i) => !(i.room === room && i.userId === userId));
  }

  async claimInvites(userId: string, by: { email?: string; facebookId?: string }): Promise<string[]> {
    this.#t.userRow(userId);
    const pending = this.#t.invites.filter(
      (i) =>
        i.userId === null &&
        ((by.email !== undefined && i.email === by.email) ||
          (by.facebookId !== undefined && i.facebookId === by.facebookId)),
    );
    this.#t.invites = this.#t.invites.filter((i) => !pending.includes(i));
    for (const invite of pending) {
      const claimed = { ...invite, userId, email: null, facebookId: null };
      if (!this.#t.invites.some((other) => sameInvitee(other, claimed))) this.#t.invites.push(claimed);
    }
    return [...new Set(pending.map((p) => p.room))];
  }
}

function toRoom(row: RoomRow): Room {
  return {
    name: row.name,
    visibility: row.visibility,
    ownerId: row.ownerId,
    lastSeq: row.lastSeq,
    lastRev: row.lastRev,
  };
}

/** The unique (room, user), (room, email) and (room, Facebook id) indexes, where nulls never collide. */
function sameInvitee(a: InviteRow, b: InviteRow): boolean {
  if (a.room !== b.room) return false;
  return (
    (a.userId !== null && a.userId === b.userId) ||
    (a.email !== null && a.email === b.email) ||
    (a.facebookId !== null && a.facebookId === b.facebookId)
  );
}

/** Code-unit order (SQLite's binary collation). */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
