import type { Kysely } from 'kysely';
import type { User } from '@pockychat/protocol';
import { participantKey } from '../../chat/link-rules.ts';
import type { NewGroupDm } from '../../chat/model.ts';
import type { GroupDmStore } from '../../chat/ports/group-dm-store.ts';
import type { Database } from '../schema.ts';
import { toUser, type Db } from './rows.ts';

/** Thrown inside a creation's transaction to roll it back: the set of people has a room already. */
class SetTaken extends Error {}

/** Group direct-message rooms over Kysely, for SQLite and PostgreSQL alike. */
export class SqlGroupDmStore implements GroupDmStore {
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  /**
   * The group_dms row goes in before anything else of the room can be seen:
   * on PostgreSQL a concurrent creation of the same set waits on its unique
   * key, then finds it taken and rolls back its own room.
   */
  async createGroupDm(input: NewGroupDm): Promise<{ room: string; created: boolean }> {
    const key = participantKey(input.participantIds);
    const existing = await this.#roomOfKey(this.#db, key);
    if (existing) return { room: existing, created: false };
    try {
      await this.#db.transaction().execute(async (trx) => {
        await trx
          .insertInto('rooms')
          .values({
            name: input.room,
            visibility: 'private',
            owner_id: null,
            last_seq: 0,
            last_rev: 0,
            created_at: input.createdAt,
          })
          .execute();
        const inserted = await trx
          .insertInto('group_dms')
          .values({ room: input.room, participant_key: key, created_at: input.createdAt })
          .onConflict((oc) => oc.column('participant_key').doNothing())
          .returning('room')
          .executeTakeFirst();
        if (!inserted) throw new SetTaken();
        const ids = [...new Set(input.participantIds)];
        await trx
          .insertInto('group_dm_participants')
          .values(ids.map((id) => ({ room: input.room, user_id: id })))
          .execute();
        await trx
          .insertInto('memberships')
          .values(ids.map((id) => ({ room: input.room, user_id: id, role: 'member', joined_at: input.createdAt })))
          .execute();
      });
      return { room: input.room, created: true };
    } catch (err) {
      if (!(err instanceof SetTaken)) throw err;
      const room = await this.#roomOfKey(this.#db, key);
      if (!room) throw new Error('a group DM of this set was taken, then vanished', { cause: err });
      return { room, created: false };
    }
  }

  async #roomOfKey(db: Db, key: string): Promise<string | undefined> {
    const row = await db.selectFrom('group_dms').select('room').where('participant_key', '=', key).executeTakeFirst();
    return row?.room;
  }

  async isGroupDmParticipant(room: string, userId: string): Promise<boolean> {
    const row = await this.#db
      .selectFrom('group_dm_participants')
      .select('room')
      .where('room', '=', room)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return row !== undefined;
  }

  async groupDmParticipants(room: string): Promise<User[]> {
    return (await this.#participantsOf([room])).get(room) ?? [];
  }

  async listGroupDms(userId: string): Promise<Array<{ room: string; participants: User[] }>> {
    const mine = await this.#db
      .selectFrom('group_dm_participants')
      .select('room')
      .where('user_id', '=', userId)
      .orderBy('room')
      .execute();
    const rooms = mine.map((r) => r.room);
    const participants = await this.#participantsOf(rooms);
    return rooms.map((room) => ({ room, participants: participants.get(room) ?? [] }));
  }

  async #participantsOf(rooms: string[]): Promise<Map<string, User[]>> {
    const byRoom = new Map<string, User[]>();
    if (rooms.length === 0) return byRoom;
    const rows = await this.#db
      .selectFrom('group_dm_participants')
      .innerJoin('users', 'users.id', 'group_dm_participants.user_id')
      .select(['group_dm_participants.room', 'users.id', 'users.name', 'users.kind'])
      .where('group_dm_participants.room', 'in', rooms)
      .orderBy('users.id')
      .execute();
    for (const row of rows) {
      let list = byRoom.get(row.room);
      if (!list) byRoom.set(row.room, (list = []));
      list.push(toUser(row.id, row.name, row.kind));
    }
    return byRoom;
  }
}
