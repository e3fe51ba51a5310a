import { sql, type Kysely, type SqlBool } from 'kysely';
import type { Message } from '@pockychat/protocol';
import type { HistoryRange } from '../../chat/model.ts';
import { PreparedCache, PreparedQuery, type Bindable } from '../prepared-query.ts';
import type { Database } from '../schema.ts';
import { reactionsOf, toMessage, type MessageColumns } from './rows.ts';

/**
 * seq and rev are `integer` columns: PostgreSQL refuses a bound past 2^31 - 1 as out
 * of range (a 500) where SQLite compares it. No seq or rev can be larger, so a
 * larger bound means the same as this one.
 */
const MAX_SEQ = 2_147_483_647;

type HistoryArgs = Record<'room' | 'bound', Bindable>;
type HistoryKind = HistoryRange['kind'];
type HistoryQuery = PreparedQuery<keyof HistoryArgs, HistoryRow>;

interface HistoryRow extends MessageColumns {
  /** 0/1 on SQLite, a boolean on PostgreSQL. */
  has_reactions: SqlBool;
}

/**
 * The history pages, compiled once per kind and limit: only the columns a
 * Message needs (the room is the one asked for), and has_reactions, an index
 * probe per row on the reactions key. The limit is a literal: SQLite re-prepares
 * a statement whose LIMIT is a bound parameter each time it is bound (it
 * plans with the value), which cost more than reading the 100 rows.
 */
export class HistoryQueries {
  readonly #db: Kysely<Database>;
  /** Per kind, by limit: few limits are in use (the edge allows 1-500). */
  readonly #byKind = new Map<HistoryKind, PreparedCache<number, HistoryQuery>>();

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  /**
   * A page of a room's messages, from the (room, seq) index (since-date: the
   * (room, date) one). Each row says whether its message has reactions, so the
   * reactions lookup runs only for those (most pages have none).
   */
  async page(room: string, range: HistoryRange): Promise<Message[]> {
    const bound =
      range.kind === 'since-date'
        ? range.date
        : Math.min(range.kind === 'changed-since' ? range.rev : range.seq, MAX_SEQ);
    const rows = await this.#run(range.kind, range.limit, room, bound);
    if (range.kind === 'before-seq') rows.reverse();
    const reacted: string[] = [];
    for (const row of rows) if (row.has_reactions) reacted.push(row.id);
    const reactions = await reactionsOf(this.#db, reacted);
    return rows.map((row) => toMessage(row, room, reactions.get(row.id) ?? {}));
  }

  #run(kind: HistoryKind, limit: number, room: string, bound: string | number): Promise<HistoryRow[]> {
    if (!Number.isSafeInteger(limit) || limit < 0) throw new Error(`history limit ${limit} is not a count`);
    let byLimit = this.#byKind.get(kind);
    if (!byLimit) {
      byLimit = new PreparedCache(64, (n) => new PreparedQuery(['room', 'bound'], (p) => this.#build(kind, n, p)));
      this.#byKind.set(kind, byLimit);
    }
    return byLimit.get(limit).run(this.#db, [room, bound]);
  }

  #build(kind: HistoryKind, limit: number, p: HistoryArgs) {
    const page = this.#db
      .selectFrom('messages')
      .innerJoin('users', 'users.id', 'messages.author_id')
      .select((eb) => [
        'messages.id',
        'messages.seq',
        'messages.author_id',
        'messages.text',
        'messages.date',
        'messages.file',
        'messages.rev',
        'messages.edited_at',
        'messages.deleted',
        'messages.reply_to',
        'messages.mentions',
        'users.name as author_name',
        'users.kind as author_kind',
        eb
          .exists(
            eb.selectFrom('reactions').select('reactions.user_id').whereRef('reactions.message_id', '=', 'messages.id'),
          )
          .as('has_reactions'),
      ])
      .where('messages.room', '=', p.room as string)
      .limit(sql.lit(limit));
    switch (kind) {
      case 'since-seq':
        return page.where('messages.seq', '>', p.bound as number).orderBy('messages.seq', 'asc');
      case 'changed-since':
        // The (room, rev) index: each message once, at its latest change.
        return page.where('messages.rev', '>', p.bound as number).orderBy('messages.rev', 'asc');
      case 'before-seq':
        return page.where('messages.seq', '<', p.bound as number).orderBy('messages.seq', 'desc');
      case 'since-date':
        return page
          .where('messages.date', '>', p.bound as string)
          .orderBy('messages.date', 'asc')
          .orderBy('messages.seq', 'asc');
    }
  }
}
