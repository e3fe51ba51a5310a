import type { NotificationLevel } from '@pockychat/protocol';

/** A browser's push subscription: where to send, and the keys to encrypt for it (RFC 8291). */
export interface PushSubscriptionRecord {
  endpoint: string;
  userId: string;
  p256dh: string;
  auth: string;
  createdAt: string;
}

/** Push subscriptions and each user's notification settings. */
export interface PushStore {
  /** Stores a subscription by its endpoint; an endpoint stored for another user moves to this one. */
  savePushSubscription(subscription: PushSubscriptionRecord): Promise<void>;
  /** Deletes the user's subscription with this endpoint, if it is theirs. */
  deletePushSubscription(userId: string, endpoint: string): Promise<void>;
  /** Deletes a subscription whoever has it: its push service said it is gone. */
  dropPushSubscription(endpoint: string): Promise<void>;
  /** The subscriptions of these users. */
  pushSubscriptionsOf(userIds: readonly string[]): Promise<PushSubscriptionRecord[]>;

  /** The levels the user set, by room (rooms without one have their default). */
  notificationLevels(userId: string): Promise<Record<string, NotificationLevel>>;
  setNotificationLevel(userId: string, room: string, level: NotificationLevel): Promise<void>;
  /** The levels set in this room by users who are still its members. */
  roomNotificationLevels(room: string): Promise<Map<string, NotificationLevel>>;
  /** Whether the user's pushes carry the message text (true unless set otherwise). */
  notificationPreview(userId: string): Promise<boolean>;
  setNotificationPreview(userId: string, preview: boolean): Promise<void>;
}
