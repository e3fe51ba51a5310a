import { sql, type Kysely } from 'kysely';
import type { AuditAction, AuditEntry, User } from '@pockychat/protocol';
import type { Page, PageRequest } from '../../chat/ports/admin-store.ts';
import type { ModerationStore, NewAuditEntry } from '../../chat/ports/moderation-store.ts';
import type { OutboxDelivery } from '../../fanout/fanout.ts';
import type { SqlOutbox } from '../outbox.ts';
import type { Database } from '../schema.ts';
import { toUser } from './rows.ts';

/** Moderators (a membership role), bans, mutes and the audit log, over Kysely. */
export class SqlModerationStore implements ModerationStore {
  readonly #db: Kysely<Database>;
  readonly #outbox: SqlOutbox | undefined;

  constructor(db: Kysely<Database>, outbox?: SqlOutbox) {
    this.#db = db;
    this.#outbox = outbox;
  }

  async setModerator(room: string, userId: string, moderator: boolean): Promise<boolean> {
    const result = await this.#db
      .updateTable('memberships')
      .set({ role: moderator ? 'moderator' : 'member' })
      .where('room', '=', room)
      .where('user_id', '=', userId)
      .where('role', 'in', ['member', 'moderator'])
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async addBan(room: string, userId: string, by: string, at: string, notice?: OutboxDelivery): Promise<void> {
    await this.#db.transaction().execute(async (trx) => {
      await trx
        .insertInto('bans')
        .values({ room, user_id: userId, banned_by: by, at })
        .onConflict((oc) => oc.columns(['room', 'user_id']).doNothing())
        .execute();
      await trx.deleteFrom('memberships').where('room', '=', room).where('user_id', '=', userId).execute();
      await trx.deleteFrom('invites').where('room', '=', room).where('user_id', '=', userId).execute();
      if (notice) await this.#outbox?.writeDeliveries(trx, [notice]);
    });
  }

  async removeBan(room: string, userId: string): Promise<boolean> {
    const result = await this.#db
      .deleteFrom('bans')
      .where('room', '=', room)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  async isBanned(room: string, userId: string): Promise<boolean> {
    const row = await this.#db
      .selectFrom('bans')
      .select('user_id')
      .where('room', '=', room)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return row !== undefined;
  }

  async bannedRooms(userId: string): Promise<string[]> {
    const rows = await this.#db.selectFrom('bans').select('room').where('user_id', '=', userId).execute();
    return rows.map((r) => r.room);
  }

  async listBans(room: string): Promise<Array<{ user: User; at: string }>> {
    const rows = await this.#db
      .selectFrom('bans')
      .innerJoin('users', 'users.id', 'bans.user_id')
      .select(['users.id', 'users.name', 'users.kind', 'bans.at'])
      .where('bans.room', '=', room)
      .orderBy('bans.at')
      .orderBy('users.id')
      .execute();
    return rows.map((r) => ({ user: toUser(r.id, r.name, r.kind), at: r.at }));
  }

  async setMute(room: string, userId: string, until: string, by: string): Promise<void> {
    await this.#db
      .insertInto('mutes')
      .values({ room, user_id: userId, until, muted_by: by })
      .onConflict((oc) => oc.columns(['room', 'user_id']).doUpdateSet({ until, muted_by: by }))
      .execute();
  }

  async removeMute(room: string, userId: string): Promise<boolean> {
    const result = await this.#db
      .deleteFrom('mutes')
      .where('room', '=', room)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  async listMutes(room: string, now: string): Promise<Array<{ user: User; until: string }>> {
    const rows = await this.#db
      .selectFrom('mutes')
      .innerJoin('users', 'users.id', 'mutes.user_id')
      .select(['users.id', 'users.name', 'users.kind', 'mutes.until'])
      .where('mutes.room', '=', room)
      .where('mutes.until', '>', now)
      .orderBy('mutes.until')
      .orderBy('users.id')
      .execute();
    return rows.map((r) => ({ user: toUser(r.id, r.name, r.kind), until: r.until }));
  }

  async listSilenced(room: string, now: string): Promise<Array<{ userId: string; until: string | null }>> {
    const rows = await this.#db
      .selectFrom('mutes')
      .select(['user_id', sql<string | null>`until`.as('until')])
      .where('room', '=', room)
      .where('until', '>', now)
      .unionAll(
        this.#db
          .selectFrom('bans')
          .select(['user_id', sql<string | null>`null`.as('until')])
          .where('room', '=', room),
      )
      .execute();
    return rows.map((r) => ({ userId: r.user_id, until: r.until }));
  }

  async appendAudit(entry: NewAuditEntry): Promise<void> {
    await this.#db
      .insertInto('audit_log')
      .values({
        id: entry.id,
        room: entry.room,
        at: entry.at,
        actor_id: entry.actorId,
        action: entry.action,
        target_user_id: entry.targetUserId ?? null,
        message_id: entry.messageId ?? null,
        detail: entry.detail ?? null,
      })
      .execute();
  }

  async listAudit(room: string, page: PageRequest): Promise<Page<AuditEntry>> {
    let query = this.#db
      .selectFrom('audit_log')
      .innerJoin('users as actor', 'actor.id', 'audit_log.actor_id')
      .leftJoin('users as target', 'target.id', 'audit_log.target_user_id')
      .select([
        'audit_log.id',
        'audit_log.at',
        'audit_log.action',
        'audit_log.message_id',
        'audit_log.detail',
        'actor.id as actor_id',
        'actor.name as actor_name',
        'actor.kind as actor_kind',
        'target.id as target_id',
        'target.name as target_name',
        'target.kind as target_kind',
      ])
      .where('audit_log.room', '=', room)
      .orderBy('audit_log.id', 'desc')
      .limit(page.limit);
    if (page.after !== undefined) query = query.where('audit_log.id', '<', page.after);
    const rows = await query.execute();
    const entries = rows.map((r) => {
      const entry: AuditEntry = {
        id: r.id,
        at: r.at,
        actor: toUser(r.actor_id, r.actor_name, r.actor_kind),
        action: r.action as AuditAction,
      };
      if (r.target_id && r.target_name && r.target_kind)
        entry.target = toUser(r.target_id, r.target_name, r.target_kind);
      if (r.message_id !== null) entry.messageId = r.message_id;
      if (r.detail !== null) entry.detail = r.detail;
      return entry;
    });
    const last = rows.at(-1);
    return rows.length === page.limit && last ? { rows: entries, next: last.id } : { rows: entries };
  }
}
