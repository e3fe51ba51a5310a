import { z } from 'zod';
import { User, Visibility } from './entities.ts';
import { Password } from './http.ts';
import { userIdPattern } from './names.ts';

/** Running a team: the admin's endpoints (/admin/*) and a room's moderation (bans, mutes, moderators, audit). */

const UserId = z.string().regex(userIdPattern, { message: 'not a user id' });
/** A page size given as a query string: 1 to 100, 50 by default. */
const PageLimit = z
  .string()
  .regex(/^\d{1,3}$/)
  .transform(Number)
  .pipe(z.number().int().min(1).max(100))
  .optional();
/** An opaque keyset cursor, as the previous page's `next` gave it. */
const Cursor = z.string().min(1).max(200).optional();

export const AdminUsersQuery = z.object({
  /** Part of a name or email, case-insensitive. */
  q: z.string().max(200).optional(),
  cursor: Cursor,
  limit: PageLimit,
});
export type AdminUsersQuery = z.infer<typeof AdminUsersQuery>;

export const AdminUser = z.object({
  user: User,
  email: z.string().optional(),
  createdAt: z.string(),
  /** When an admin deactivated the account; absent for an active one. */
  deactivatedAt: z.string().optional(),
});
export type AdminUser = z.infer<typeof AdminUser>;

export const AdminUsersAnswer = z.object({
  users: z.array(AdminUser),
  /** The cursor of the next page; absent on the last page. */
  next: z.string().optional(),
});
export type AdminUsersAnswer = z.infer<typeof AdminUsersAnswer>;

export const AdminRoomsQuery = z.object({ cursor: Cursor, limit: PageLimit });
export type AdminRoomsQuery = z.infer<typeof AdminRoomsQuery>;

export const AdminRoom = z.object({
  name: z.string(),
  visibility: Visibility,
  owner: User.optional(),
  members: z.number().int().nonnegative(),
  /** The date of the room's latest message; absent for a room without any. */
  lastActivity: z.string().optional(),
});
export type AdminRoom = z.infer<typeof AdminRoom>;

export const AdminRoomsAnswer = z.object({ rooms: z.array(AdminRoom), next: z.string().optional() });
export type AdminRoomsAnswer = z.infer<typeof AdminRoomsAnswer>;

export const SetPasswordBody = z.object({ password: Password }).strict();
export type SetPasswordBody = z.infer<typeof SetPasswordBody>;

export const BanBody = z.object({ userId: UserId }).strict();
export type BanBody = z.infer<typeof BanBody>;

/** A mute lasts 1 minute to 30 days. */
export const MuteBody = z
  .object({
    userId: UserId,
    minutes: z
      .number()
      .int()
      .min(1)
      .max(30 * 24 * 60),
  })
  .strict();
export type MuteBody = z.infer<typeof MuteBody>;

export const auditActions = [
  'ban',
  'unban',
  'mute',
  'unmute',
  'moderator_added',
  'moderator_removed',
  'message_deleted',
] as const;
export const AuditAction = z.enum(auditActions);
export type AuditAction = z.infer<typeof AuditAction>;

export const AuditEntry = z.object({
  id: z.string(),
  at: z.string(),
  actor: User,
  action: AuditAction,
  target: User.optional(),
  messageId: z.string().optional(),
  /** What else there is to say: a mute's end (ISO-8601), a deleted message's first characters. */
  detail: z.string().optional(),
});
export type AuditEntry = z.infer<typeof AuditEntry>;

export const AuditQuery = z.object({ cursor: Cursor, limit: PageLimit });
export type AuditQuery = z.infer<typeof AuditQuery>;

export const AuditAnswer = z.object({ room: z.string(), entries: z.array(AuditEntry), next: z.string().optional() });
export type AuditAnswer = z.infer<typeof AuditAnswer>;

/** A room's bans and current mutes, for its owner, moderators and admins. */
export const ModerationAnswer = z.object({
  room: z.string(),
  bans: z.array(z.object({ user: User, at: z.string() })),
  mutes: z.array(z.object({ user: User, until: z.string() })),
});
export type ModerationAnswer = z.infer<typeof ModerationAnswer>;
