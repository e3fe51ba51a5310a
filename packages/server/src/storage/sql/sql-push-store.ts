import type { Kysely } from 'kysely';
import type { NotificationLevel } from '@pockychat/protocol';
import type { PushStore, PushSubscriptionRecord } from '../../chat/ports/push-store.ts';
import type { Database } from '../schema.ts';

/** Push subscriptions and notification settings over Kysely (SQLite and PostgreSQL alike). */
export class SqlPushStore implements PushStore {
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  async savePushSubscription(s: PushSubscriptionRecord): Promise<void> {
    const row = { endpoint: s.endpoint, user_id: s.userId, p256dh: s.p256dh, auth: s.auth, created_at: s.createdAt };
    await this.#db
      .insertInto('push_subscriptions')
      .values(row)
      .onConflict((oc) =>
        oc
          .column('endpoint')
          .doUpdateSet({ user_id: s.userId, p256dh: s.p256dh, auth: s.auth, created_at: s.createdAt }),
      )
      .execute();
  }

  async deletePushSubscription(userId: string, endpoint: string): Promise<void> {
    await this.#db
      .deleteFrom('push_subscriptions')
      .where('endpoint', '=', endpoint)
      .where('user_id', '=', userId)
      .execute();
  }

  async dropPushSubscription(endpoint: string): Promise<void> {
    await this.#db.deleteFrom('push_subscriptions').where('endpoint', '=', endpoint).execute();
  }

  async pushSubscriptionsOf(userIds: readonly string[]): Promise<PushSubscriptionRecord[]> {
    if (userIds.length === 0) return [];
    const rows = await this.#db
      .selectFrom('push_subscriptions')
      .selectAll()
      .where('user_id', 'in', [...userIds])
      .orderBy('endpoint')
      .execute();
    return rows.map((r) => ({
      endpoint: r.endpoint,
      userId: r.user_id,
      p256dh: r.p256dh,
      auth: r.auth,
      createdAt: r.created_at,
    }));
  }

  async notificationLevels(userId: string): Promise<Record<string, NotificationLevel>> {
    const rows = await this.#db
      .selectFrom('notification_levels')
      .select(['room', 'level'])
      .where('user_id', '=', userId)
      .orderBy('room')
      .execute();
    return Object.fromEntries(rows.map((r) => [r.room, r.level as NotificationLevel]));
  }

  async setNotificationLevel(userId: string, room: string, level: NotificationLevel): Promise<void> {
    await this.#db
      .insertInto('notification_levels')
      .values({ user_id: userId, room, level })
      .onConflict((oc) => oc.columns(['user_id', 'room']).doUpdateSet({ level }))
      .execute();
  }

  async roomNotificationLevels(room: string): Promise<Map<string, NotificationLevel>> {
    const rows = await this.#db
      .selectFrom('notification_levels as l')
      .innerJoin('memberships as m', (j) => j.onRef('m.room', '=', 'l.room').onRef('m.user_id', '=', 'l.user_id'))
      .select(['l.user_id', 'l.level'])
      .where('l.room', '=', room)
      .execute();
    return new Map(rows.map((r) => [r.user_id, r.level as NotificationLevel]));
  }

  async notificationPreview(userId: string): Promise<boolean> {
    const row = await this.#db
      .selectFrom('notification_prefs')
      .select('preview')
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return row ? row.preview === 1 : true;
  }

  async setNotificationPreview(userId: string, preview: boolean): Promise<void> {
    const value = preview ? 1 : 0;
    await this.#db
      .insertInto('notification_prefs')
      .values({ user_id: userId, preview: value })
      .onConflict((oc) => oc.column('user_id').doUpdateSet({ preview: value }))
      .execute();
  }
}
