import type { NotificationLevel } from '@pockychat/protocol';
import type { PushStore, PushSubscriptionRecord } from '../../chat/ports/push-store.ts';
import type { MemoryTables } from './tables.ts';

/** Push subscriptions and notification settings in memory, with the SQL store's rules. */
export class MemoryPushStore implements PushStore {
  readonly #t: MemoryTables;

  constructor(tables: MemoryTables) {
    this.#t = tables;
  }

  async savePushSubscription(s: PushSubscriptionRecord): Promise<void> {
    this.#t.userRow(s.userId);
    this.#t.pushSubscriptions.set(s.endpoint, { ...s });
  }

  async deletePushSubscription(userId: string, endpoint: string): Promise<void> {
    if (this.#t.pushSubscriptions.get(endpoint)?.userId === userId) this.#t.pushSubscriptions.delete(endpoint);
  }

  async dropPushSubscription(endpoint: string): Promise<void> {
    this.#t.pushSubscriptions.delete(endpoint);
  }

  async pushSubscriptionsOf(userIds: readonly string[]): Promise<PushSubscriptionRecord[]> {
    const wanted = new Set(userIds);
    return [...this.#t.pushSubscriptions.values()]
      .filter((s) => wanted.has(s.userId))
      .sort((a, b) => (a.endpoint < b.endpoint ? -1 : 1))
      .map((s) => ({ ...s }));
  }

  async notificationLevels(userId: string): Promise<Record<string, NotificationLevel>> {
    const levels = [...(this.#t.notificationLevels.get(userId) ?? [])].sort(([a], [b]) => (a < b ? -1 : 1));
    return Object.fromEntries(levels);
  }

  async setNotificationLevel(userId: string, room: string, level: NotificationLevel): Promise<void> {
    this.#t.userRow(userId);
    let levels = this.#t.notificationLevels.get(userId);
    if (!levels) this.#t.notificationLevels.set(userId, (levels = new Map<string, NotificationLevel>()));
    levels.set(room, level);
  }

  async roomNotificationLevels(room: string): Promise<Map<string, NotificationLevel>> {
    const members = this.#t.memberships.get(room);
    const found = new Map<string, NotificationLevel>();
    for (const [userId, levels] of this.#t.notificationLevels) {
      const level = levels.get(room);
      if (level && members?.has(userId)) found.set(userId, level);
    }
    return found;
  }

  async notificationPreview(userId: string): Promise<boolean> {
    return this.#t.notificationPreviews.get(userId) ?? true;
  }

  async setNotificationPreview(userId: string, preview: boolean): Promise<void> {
    this.#t.userRow(userId);
    this.#t.notificationPreviews.set(userId, preview);
  }
}
