import type { NotificationLevel, NotificationSettings, PushSubscriptionBody, User } from '@pockychat/protocol';
import { ChatError } from './chat-error.ts';
import type { Clock } from './clock.ts';
import type { PushStore } from './ports/push-store.ts';
import type { RoomStore } from './ports/room-store.ts';

/** Browsers one user may have subscribed at once; a new one beyond replaces the oldest. */
export const MAX_SUBSCRIPTIONS_PER_USER = 20;

export interface NotificationsDeps {
  store: Pick<RoomStore, 'isMember'> & { push: PushStore };
  clock: Clock;
  /** Told once a level of a room is stored (the push notifier drops its copy of the room's levels). */
  onLevelSet?: (room: string) => void;
}

/** A user's browsers' push subscriptions and their notification settings. */
export class Notifications {
  readonly #rooms: Pick<RoomStore, 'isMember'>;
  readonly #push: PushStore;
  readonly #clock: Clock;
  readonly #onLevelSet: NotificationsDeps['onLevelSet'];

  constructor(deps: NotificationsDeps) {
    this.#rooms = deps.store;
    this.#push = deps.store.push;
    this.#clock = deps.clock;
    this.#onLevelSet = deps.onLevelSet;
  }

  /** The transport checked the endpoint (https, a public host): the domain keeps it, for this user. */
  async subscribe(user: User, subscription: PushSubscriptionBody): Promise<void> {
    await this.#push.savePushSubscription({
      endpoint: subscription.endpoint,
      userId: user.id,
      p256dh: subscription.keys.p256dh,
      auth: subscription.keys.auth,
      createdAt: new Date(this.#clock.now()).toISOString(),
    });
    await this.#keepNewest(user.id, subscription.endpoint);
  }

  /** A user cannot make the server keep (and push to) an endless list of endpoints. */
  async #keepNewest(userId: string, kept: string): Promise<void> {
    const mine = await this.#push.pushSubscriptionsOf([userId]);
    if (mine.length <= MAX_SUBSCRIPTIONS_PER_USER) return;
    const others = mine.filter((s) => s.endpoint !== kept);
    const oldest = others.sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0));
    for (const s of oldest.slice(0, mine.length - MAX_SUBSCRIPTIONS_PER_USER)) {
      await this.#push.deletePushSubscription(userId, s.endpoint);
    }
  }

  /** Idempotent; another user's endpoint is left alone. */
  async unsubscribe(user: User, endpoint: string): Promise<void> {
    await this.#push.deletePushSubscription(user.id, endpoint);
  }

  async settings(user: User): Promise<NotificationSettings> {
    const [levels, preview] = await Promise.all([
      this.#push.notificationLevels(user.id),
      this.#push.notificationPreview(user.id),
    ]);
    return { levels, preview };
  }

  /** A member sets how much the room tells them; anyone else gets forbidden. */
  async setLevel(user: User, room: string, level: NotificationLevel): Promise<void> {
    if (!(await this.#rooms.isMember(room, user.id)))
      throw new ChatError('forbidden', `you are not a member of ${room}`);
    await this.#push.setNotificationLevel(user.id, room, level);
    this.#onLevelSet?.(room);
  }

  async setPreview(user: User, preview: boolean): Promise<void> {
    await this.#push.setNotificationPreview(user.id, preview);
  }
}
