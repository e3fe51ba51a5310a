import { z } from 'zod';
import { dmParticipants } from './names.ts';

/** How much a room tells a user when they are away: every message, mentions only, or nothing. */
export const NotificationLevel = z.enum(['all', 'mentions', 'mute']);
export type NotificationLevel = z.infer<typeof NotificationLevel>;

/** A room with no level set: a DM tells of every message, a named room of mentions only. */
export function defaultNotificationLevel(room: string): NotificationLevel {
  return dmParticipants(room) ? 'all' : 'mentions';
}

/** Base64url without padding, as PushSubscription.toJSON() gives the keys. */
const base64url = (min: number, max: number) =>
  z
    .string()
    .min(min)
    .max(max)
    .regex(/^[A-Za-z0-9_-]+={0,2}$/, { message: 'base64url' });

/** The browser's PushSubscription JSON (extra fields such as expirationTime are ignored). */
export const PushSubscriptionBody = z.object({
  endpoint: z.string().min(1).max(2000),
  keys: z.object({
    /** The browser's P-256 public key, uncompressed: 65 bytes, 87 characters. */
    p256dh: base64url(80, 100),
    /** The 16-byte auth secret: 22 characters. */
    auth: base64url(16, 30),
  }),
});
export type PushSubscriptionBody = z.infer<typeof PushSubscriptionBody>;

export const PushUnsubscribeBody = z.object({ endpoint: z.string().min(1).max(2000) });
export type PushUnsubscribeBody = z.infer<typeof PushUnsubscribeBody>;

export const PushKeyAnswer = z.object({ publicKey: z.string() });
export type PushKeyAnswer = z.infer<typeof PushKeyAnswer>;

export const NotificationLevelBody = z.object({ level: NotificationLevel });
export const NotificationPreviewBody = z.object({ preview: z.boolean() });

/** GET /notifications: the levels the user set (other rooms have their default) and the preview setting. */
export const NotificationSettings = z.object({
  levels: z.record(z.string(), NotificationLevel),
  preview: z.boolean(),
});
export type NotificationSettings = z.infer<typeof NotificationSettings>;

/** What a push carries, encrypted (RFC 8291); `tag` is the room, so a newer push replaces an older one. */
export const PushPayload = z.object({
  type: z.literal('message'),
  room: z.string(),
  messageId: z.string(),
  seq: z.number().int(),
  title: z.string(),
  body: z.string(),
  tag: z.string(),
});
export type PushPayload = z.infer<typeof PushPayload>;
