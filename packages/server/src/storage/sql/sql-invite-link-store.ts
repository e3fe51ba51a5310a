import type { ExpressionBuilder, Kysely, Selectable } from 'kysely';
import { linkRefusal } from '../../chat/link-rules.ts';
import type {
  InviteLinkRecord,
  LinkBounds,
  LinkRedemption,
  LinkRefusalReason,
  NewInviteLink,
} from '../../chat/model.ts';
import type { InviteLinkStore } from '../../chat/ports/invite-link-store.ts';
import type { LockRooms } from '../append.ts';
import type { Database, InviteLinksTable } from '../schema.ts';
import { toUser, type Db } from './rows.ts';

/** Thrown inside a redemption's transaction to roll it back (the membership goes) and answer why. */
class Refused extends Error {
  readonly result: LinkRedemption;
  constructor(reason: LinkRefusalReason, room: string) {
    super(reason);
    this.result = { status: reason, room };
  }
}

/** Invite links over Kysely, for SQLite and PostgreSQL alike. */
export class SqlInviteLinkStore implements InviteLinkStore {
  readonly #db: Kysely<Database>;
  readonly #lockRooms: LockRooms | undefined;

  /** `lockRooms`: PostgreSQL's room row lock, that serialises the creations of a room's links across nodes. */
  constructor(db: Kysely<Database>, lockRooms?: LockRooms) {
    this.#db = db;
    this.#lockRooms = lockRooms;
  }

  /**
   * The room's row locked first (PostgreSQL; SQLite runs one transaction at
   * a time), then counted: a concurrent creation waits, and its count then
   * sees this one's link. The rows are those of one room, at most
   * `usable + dead` of them, so the count and the delete stay small.
   */
  async createInviteLink(link: NewInviteLink, bounds: LinkBounds): Promise<'created' | 'full'> {
    return this.#db.transaction().execute(async (trx) => {
      await this.#lockRooms?.(trx, [link.room]);
      const now = link.createdAt;
      const { usable } = await trx
        .selectFrom('invite_links')
        .select((eb) => eb.fn.countAll<number | string | bigint>().as('usable'))
        .where('room', '=', link.room)
        .where((eb) => eb.not(dead(eb, now)))
        .executeTakeFirstOrThrow();
      if (Number(usable) >= bounds.usable) return 'full';
      await trx
        .deleteFrom('invite_links')
        .where('room', '=', link.room)
        .where((eb) => dead(eb, now))
        .where('id', 'not in', (eb) =>
          eb
            .selectFrom('invite_links')
            .select('id')
            .where('room', '=', link.room)
            .where((inner) => dead(inner, now))
            .orderBy('created_at', 'desc')
            .orderBy('id', 'desc')
            .limit(bounds.dead),
        )
        .execute();
      await trx
        .insertInto('invite_links')
        .values({
          id: link.id,
          code_hash: link.codeHash,
          room: link.room,
          created_by: link.createdBy,
          created_at: link.createdAt,
          expires_at: link.expiresAt ?? null,
          max_uses: link.maxUses ?? null,
          uses: 0,
          revoked_at: null,
        })
        .execute();
      return 'created' as const;
    });
  }

  async findInviteLink(id: string): Promise<InviteLinkRecord | undefined> {
    return this.#one(id, 'id');
  }

  async findInviteLinkByCode(codeHash: string): Promise<InviteLinkRecord | undefined> {
    return this.#one(codeHash, 'code_hash');
  }

  async #one(value: string, column: 'id' | 'code_hash'): Promise<InviteLinkRecord | undefined> {
    const row = await this.#select(this.#db).where(`invite_links.${column}`, '=', value).executeTakeFirst();
    return row && toRecord(row);
  }

  async listInviteLinks(room: string, now: string, createdBy?: string): Promise<InviteLinkRecord[]> {
    let query = this.#select(this.#db)
      .where('invite_links.room', '=', room)
      .where((eb) => eb.not(dead(eb, now)));
    if (createdBy !== undefined) query = query.where('invite_links.created_by', '=', createdBy);
    const rows = await query.orderBy('invite_links.created_at').orderBy('invite_links.id').execute();
    return rows.map(toRecord);
  }

  async revokeInviteLink(id: string, at: string): Promise<boolean> {
    await this.#db
      .updateTable('invite_links')
      .set({ revoked_at: at })
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .execute();
    const row = await this.#db.selectFrom('invite_links').select('id').where('id', '=', id).executeTakeFirst();
    return row !== undefined;
  }

  /**
   * The membership first, then the use, in one transaction. The use is an
   * UPDATE whose WHERE re-checks the link: on PostgreSQL a concurrent
   * redemption waits for this row's lock and then re-reads it, so it sees
   * the use taken and updates nothing; SQLite runs one transaction at a time.
   * A redemption refused rolls back its membership. The same user twice at
   * once: the second's membership insert waits for the first's and then
   * inserts nothing, so it takes no use.
   */
  async redeemInviteLink(codeHash: string, userId: string, now: string): Promise<LinkRedemption> {
    try {
      return await this.#db.transaction().execute(async (trx) => {
        const row = await this.#select(trx).where('invite_links.code_hash', '=', codeHash).executeTakeFirst();
        if (!row) return { status: 'unknown' as const };
        const link = toRecord(row);
        const inserted = await trx
          .insertInto('memberships')
          .values({ room: link.room, user_id: userId, role: 'member', joined_at: now })
          .onConflict((oc) => oc.columns(['room', 'user_id']).doNothing())
          .returning('room')
          .executeTakeFirst();
        if (!inserted) return { status: 'member' as const, room: link.room };
        const refusal = linkRefusal(link, now);
        if (refusal) throw new Refused(refusal, link.room);
        const used = await trx
          .updateTable('invite_links')
          .set((eb) => ({ uses: eb('uses', '+', 1) }))
          .where('id', '=', link.id)
          .where((eb) => eb.not(dead(eb, now)))
          .returning('uses')
          .executeTakeFirst();
        if (!used) {
          const fresh = await this.#select(trx).where('invite_links.id', '=', link.id).executeTakeFirst();
          throw new Refused((fresh && linkRefusal(toRecord(fresh), now)) ?? 'used_up', link.room);
        }
        return { status: 'joined' as const, room: link.room };
      });
    } catch (err) {
      if (err instanceof Refused) return err.result;
      throw err;
    }
  }

  #select(db: Db) {
    return db
      .selectFrom('invite_links')
      .innerJoin('users', 'users.id', 'invite_links.created_by')
      .selectAll('invite_links')
      .select(['users.name as creator_name', 'users.kind as creator_kind']);
  }
}

/**
 * Dead at `now`: revoked, expired or used up (linkRefusal's rules). Each
 * term tests its column for null first, so the whole is never null and its
 * NOT is exactly "usable" (a bare `expires_at <= now` would be null, and so
 * would its NOT, for a link that never expires).
 */
function dead(eb: ExpressionBuilder<Database, 'invite_links'>, now: string) {
  return eb.or([
    eb('revoked_at', 'is not', null),
    eb.and([eb('expires_at', 'is not', null), eb('expires_at', '<=', now)]),
    eb.and([eb('max_uses', 'is not', null), eb('uses', '>=', eb.ref('max_uses'))]),
  ]);
}

type LinkRow = Selectable<InviteLinksTable> & { creator_name: string; creator_kind: string };

function toRecord(row: LinkRow): InviteLinkRecord {
  return {
    id: row.id,
    room: row.room,
    createdBy: toUser(row.created_by, row.creator_name, row.creator_kind),
    createdAt: row.created_at,
    ...(row.expires_at !== null && { expiresAt: row.expires_at }),
    ...(row.max_uses !== null && { maxUses: Number(row.max_uses) }),
    uses: Number(row.uses),
    ...(row.revoked_at !== null && { revokedAt: row.revoked_at }),
  };
}
