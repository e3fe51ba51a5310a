import { sql, type Kysely } from 'kysely';
import type { UnreadCounts } from '@pockychat/protocol';
import type { ReadStore } from '../../chat/ports/read-store.ts';
import type { Database } from '../schema.ts';

/** Read markers over Kysely, for both databases. */
export class SqlReadStore implements ReadStore {
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  /** One upsert that only ever raises the seq: two connections racing cannot move it back. */
  async markRead(userId: string, room: string, seq: number): Promise<boolean> {
    if (seq <= 0) return false;
    const row = await this.#db
      .insertInto('read_markers')
      .values({ user_id: userId, room, seq })
      .onConflict((oc) =>
        oc
          .columns(['user_id', 'room'])
          .doUpdateSet((eb) => ({ seq: eb.ref('excluded.seq') }))
          .where((eb) => eb('excluded.seq', '>', eb.ref('read_markers.seq'))),
      )
      .returning('seq')
      .executeTakeFirst();
    return row !== undefined;
  }

  async readSeq(userId: string, room: string): Promise<number> {
    const row = await this.#db
      .selectFrom('read_markers')
      .select('seq')
      .where('user_id', '=', userId)
      .where('room', '=', room)
      .executeTakeFirst();
    return row?.seq ?? 0;
  }

  /**
   * One query for all the user's rooms: each count reads only the messages
   * after the marker, by the (room, seq) index, and the mentions by the
   * (user_id, room, seq) one; a mention is counted only if its message is.
   */
  async unreadCounts(userId: string): Promise<Map<string, UnreadCounts>> {
    const { rows } = await sql<{
      room: string;
      read_seq: number;
      last_seq: number;
      unread: number | string;
      mentions: number | string;
    }>`
      select mb.room as room, coalesce(rm.seq, 0) as read_seq, r.last_seq as last_seq,
        (select count(*) from messages m
          where m.room = mb.room and m.seq > coalesce(rm.seq, 0)
            and m.author_id <> ${userId} and m.deleted = 0) as unread,
        (select count(*) from message_mentions mm join messages m on m.id = mm.message_id
          where mm.user_id = ${userId} and mm.room = mb.room and mm.seq > coalesce(rm.seq, 0)
            and m.author_id <> ${userId} and m.deleted = 0) as mentions
      from memberships mb
      join rooms r on r.name = mb.room
      left join read_markers rm on rm.user_id = mb.user_id and rm.room = mb.room
      where mb.user_id = ${userId}`.execute(this.#db);
    return new Map(
      rows.map((row) => [
        row.room,
        {
          readSeq: Number(row.read_seq),
          unread: Number(row.unread),
          mentions: Number(row.mentions),
          lastSeq: Number(row.last_seq),
        },
      ]),
    );
  }
}
