import type { User } from '@pockychat/protocol';
import { participantKey } from '../../chat/link-rules.ts';
import type { NewGroupDm } from '../../chat/model.ts';
import type { GroupDmStore } from '../../chat/ports/group-dm-store.ts';
import { toUser, type MemoryTables } from './tables.ts';

/** Group direct-message rooms in memory. */
export class MemoryGroupDmStore implements GroupDmStore {
  readonly #t: MemoryTables;

  constructor(tables: MemoryTables) {
    this.#t = tables;
  }

  async createGroupDm(input: NewGroupDm): Promise<{ room: string; created: boolean }> {
    const key = participantKey(input.participantIds);
    for (const [room, row] of this.#t.groupDms) if (row.participantKey === key) return { room, created: false };
    const ids = [...new Set(input.participantIds)];
    for (const id of ids) this.#t.userRow(id);
    if (this.#t.rooms.has(input.room)) throw new Error(`room ${input.room} exists`);
    this.#t.rooms.set(input.room, {
      name: input.room,
      visibility: 'private',
      ownerId: null,
      lastSeq: 0,
      lastRev: 0,
      createdAt: input.createdAt,
    });
    this.#t.groupDms.set(input.room, { participantKey: key, createdAt: input.createdAt, participants: new Set(ids) });
    this.#t.memberships.set(input.room, new Map(ids.map((id) => [id, { role: 'member', joinedAt: input.createdAt }])));
    return { room: input.room, created: true };
  }

  async isGroupDmParticipant(room: string, userId: string): Promise<boolean> {
    return this.#t.groupDms.get(room)?.participants.has(userId) ?? false;
  }

  async groupDmParticipants(room: string): Promise<User[]> {
    const ids = [...(this.#t.groupDms.get(room)?.participants ?? [])].sort();
    return ids.map((id) => toUser(this.#t.userRow(id)));
  }

  async listGroupDms(userId: string): Promise<Array<{ room: string; participants: User[] }>> {
    const rooms = [...this.#t.groupDms].filter(([, row]) => row.participants.has(userId)).map(([room]) => room);
    rooms.sort();
    return Promise.all(rooms.map(async (room) => ({ room, participants: await this.groupDmParticipants(room) })));
  }
}
