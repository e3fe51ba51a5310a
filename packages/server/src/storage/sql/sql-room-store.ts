import type { Kysely } from 'kysely';
import type { RoomSummary, Visibility } from '@pockychat/protocol';
import type { Invite, Invitee, Member, MemberRole, NewRoom, Room } from '../../chat/model.ts';
import type { RoomStore } from '../../chat/ports/room-store.ts';
import type { OutboxDelivery } from '../../fanout/fanout.ts';
import { withDeliveries, type SqlOutbox } from '../outbox.ts';
import type { Database } from '../schema.ts';
import { toUser } from './rows.ts';

/** Rooms, memberships and invites over Kysely. */
export class SqlRoomStore implements RoomStore {
  readonly #db: Kysely<Database>;
  readonly #outbox: SqlOutbox | undefined;

  constructor(db: Kysely<Database>, outbox?: SqlOutbox) {
    this.#db = db;
    this.#outbox = outbox;
  }

  async findRoom(name: string): Promise<Room | undefined> {
    const row = await this.#db.selectFrom('rooms').selectAll().where('name', '=', name).executeTakeFirst();
    return (
      row && {
        name: row.name,
        visibility: row.visibility as Visibility,
        ownerId: row.owner_id,
        lastSeq: row.last_seq,
        lastRev: row.last_rev,
      }
    );
  }

  async ensureRoom(room: NewRoom): Promise<Room> {
    await this.#db
      .insertInto('rooms')
      .values({
        name: room.name,
        visibility: room.visibility,
        owner_id: room.ownerId,
        last_seq: 0,
        last_rev: 0,
        created_at: room.createdAt,
      })
      .onConflict((oc) => oc.column('name').doNothing())
      .execute();
    const stored = await this.findRoom(room.name);
    if (!stored) throw new Error(`room ${room.name} vanished after insert`);
    return stored;
  }

  async isMember(room: string, userId: string): Promise<boolean> {
    return (await this.memberRole(room, userId)) !== undefined;
  }

  async addMember(room: string, userId: string, role: MemberRole, joinedAt: string): Promise<void> {
    await this.#db
      .insertInto('memberships')
      .values({ room, user_id: userId, role, joined_at: joinedAt })
      .onConflict((oc) => oc.columns(['room', 'user_id']).doNothing())
      .execute();
  }

  async memberRole(room: string, userId: string): Promise<MemberRole | undefined> {
    const row = await this.#db
      .selectFrom('memberships')
      .select('role')
      .where('room', '=', room)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return row?.role as MemberRole | undefined;
  }

  async removeMember(room: string, userId: string, notice?: OutboxDelivery): Promise<boolean> {
    return withDeliveries(this.#db, notice && this.#outbox, async (db) => {
      const result = await db
        .deleteFrom('memberships')
        .where('room', '=', room)
        .where('user_id', '=', userId)
        .executeTakeFirst();
      const removed = Number(result.numDeletedRows) > 0;
      return { result: removed, deliveries: removed && notice ? [notice] : [] };
    });
  }

  async listMembers(room: string): Promise<Member[]> {
    const rows = await this.#db
      .selectFrom('memberships')
      .innerJoin('users', 'users.id', 'memberships.user_id')
      .select(['users.id', 'users.name', 'users.kind', 'memberships.role'])
      .where('memberships.room', '=', room)
      .orderBy('users.name')
      .execute();
    return rows.map((r) => ({ user: toUser(r.id, r.name, r.kind), role: r.role as MemberRole }));
  }

  async addInvite(room: string, invitee: Invitee, invitedBy: string, createdAt: string): Promise<void> {
    await this.#db
      .insertInto('invites')
      .values({
        room,
        user_id: 'userId' in invitee ? invitee.userId : null,
        email: 'email' in invitee ? invitee.email : null,
        facebook_id: 'facebookId' in invitee ? invitee.facebookId : null,
        invited_by: invitedBy,
        created_at: createdAt,
      })
      .onConflict((oc) => oc.doNothing())
      .execute();
  }

  async isInvited(room: string, userId: string): Promise<boolean> {
    const row = await this.#db
      .selectFrom('invites')
      .select('id')
      .where('room', '=', room)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return row !== undefined;
  }

  async deleteInvite(room: string, userId: string): Promise<void> {
    await this.#db.deleteFrom('invites').where('room', '=', room).where('user_id', '=', userId).execute();
  }

  async claimInvites(userId: string, by: { email?: string; facebookId?: string }): Promise<string[]> {
    return this.#db.transaction().execute(async (trx) => {
      const pending = await trx
        .selectFrom('invites')
        .select(['id', 'room'])
        .where('user_id', 'is', null)
        .where((eb) => eb.or([eb('email', '=', by.email ?? null), eb('facebook_id', '=', by.facebookId ?? null)]))
        .execute();
      for (const invite of pending) {
        await trx
          .insertInto('invites')
          .values((eb) => ({
            room: invite.room,
            user_id: userId,
            email: null,
            facebook_id: null,
            invited_by: eb.selectFrom('invites').select('invited_by').where('id', '=', invite.id),
            created_at: eb.selectFrom('invites').select('created_at').where('id', '=', invite.id),
          }))
          .onConflict((oc) => oc.doNothing())
          .execute();
        await trx.deleteFrom('invites').where('id', '=', invite.id).execute();
      }
      return [...new Set(pending.map((p) => p.room))];
    });
  }

  async listRooms(userId: string): Promise<RoomSummary[]> {
    const rows = await this.#db
      .selectFrom('rooms')
      .select((eb) => [
        'rooms.name',
        'rooms.visibility',
        eb
          .selectFrom('memberships')
          .select(eb.fn.countAll<number>().as('n'))
          .whereRef('memberships.room', '=', 'rooms.name')
          .as('members'),
        eb
          .selectFrom('memberships')
          .select(eb.fn.countAll<number>().as('n'))
          .whereRef('memberships.room', '=', 'rooms.name')
          .where('memberships.user_id', '=', userId)
          .as('mine'),
      ])
      .where((eb) =>
        eb.and([
          eb.or([
            eb('rooms.visibility', '=', 'public'),
            eb.exists(
              eb
                .selectFrom('memberships')
                .select('memberships.room')
                .whereRef('memberships.room', '=', 'rooms.name')
                .where('memberships.user_id', '=', userId),
            ),
          ]),
          eb.not(
            eb.exists(
              eb
                .selectFrom('bans')
                .select('bans.room')
                .whereRef('bans.room', '=', 'rooms.name')
                .where('bans.user_id', '=', userId),
            ),
          ),
        ]),
      )
      .orderBy('rooms.name')
      .execute();
    return rows.map((r) => ({
      name: r.name,
      visibility: r.visibility as Visibility,
      members: Number(r.members ?? 0),
      member: Number(r.mine ?? 0) > 0,
    }));
  }

  async listInvites(userId: string): Promise<Invite[]> {
    const rows = await this.#db
      .selectFrom('invites')
      .innerJoin('users', 'users.id', 'invites.invited_by')
      .select(['invites.room', 'users.id', 'users.name', 'users.kind'])
      .where('invites.user_id', '=', userId)
      .orderBy('invites.created_at')
      .execute();
    return rows.map((r) => ({ room: r.room, by: toUser(r.id, r.name, r.kind) }));
  }
}
