import { z } from 'zod';
import { Message, RoomSummary, User } from './entities.ts';
import { limits } from './limits.ts';
import { RoomName, userIdPattern } from './names.ts';
import { DisplayName } from './text.ts';
import { PresenceStatus } from './presence.ts';

export const GuestBody = z.object({ name: DisplayName });
export type GuestBody = z.infer<typeof GuestBody>;

export const MIN_PASSWORD_LENGTH = 10;
export const Email = z
  .string()
  .trim()
  .toLowerCase()
  .max(254)
  .pipe(z.email({ message: 'not a valid email address' }));
export const Password = z
  .string()
  .min(MIN_PASSWORD_LENGTH, { message: `a password has at least ${MIN_PASSWORD_LENGTH} characters` })
  .max(200);

export const RegisterBody = z.object({ email: Email, password: Password, name: DisplayName });
export type RegisterBody = z.infer<typeof RegisterBody>;
/** Login takes any password string: the answer to a short one is the same bad_credentials. */
export const LoginBody = z.object({ email: Email, password: z.string().min(1).max(200) });
export type LoginBody = z.infer<typeof LoginBody>;

export const InviteBody = z.union([
  z.object({ userId: z.string().regex(userIdPattern) }).strict(),
  z.object({ email: Email }).strict(),
  z.object({ facebookId: z.string().regex(/^[0-9A-Za-z_-]{1,64}$/) }).strict(),
]);
export type InviteBody = z.infer<typeof InviteBody>;

export const InvitesAnswer = z.object({ invites: z.array(z.object({ room: z.string(), by: User })) });
export type InvitesAnswer = z.infer<typeof InvitesAnswer>;

export const MembersAnswer = z.object({
  room: z.string(),
  members: z.array(
    z.object({ user: User, role: z.enum(['owner', 'moderator', 'member']), status: PresenceStatus.optional() }),
  ),
});
export type MembersAnswer = z.infer<typeof MembersAnswer>;

export const AuthAnswer = z.object({ user: User, token: z.string() });
export type AuthAnswer = z.infer<typeof AuthAnswer>;

export const MeAnswer = z.object({ user: User });

const isoDate = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;
const seqString = /^\d{1,15}$/;

/** A day that exists: Date.parse reads 2026-02-30 as 2 March. */
function isCalendarDay(ymd: string): boolean {
  const [year, month, day] = ymd.split('-').map(Number) as [number, number, number];
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** `since` is a seq (digits) or an ISO-8601 date; anything else is a bad request. */
export const Since = z.union([
  z
    .string()
    .regex(seqString)
    .transform((s) => ({ seq: Number(s) })),
  z
    .string()
    .regex(isoDate)
    .refine((s) => isCalendarDay(s.slice(0, 10)) && !Number.isNaN(Date.parse(s)), { message: 'not a valid date' })
    .transform((s) => ({ date: new Date(s).toISOString() })),
]);
export type Since = { seq: number } | { date: string };

const wholeNumber = z.string().regex(seqString).transform(Number);

export const HistoryQuery = z
  .object({
    room: RoomName,
    since: Since.optional(),
    before: wholeNumber.optional(),
    /** The messages changed (created, edited, deleted, reacted to) after this rev, ascending by rev. */
    changedSince: wholeNumber.optional(),
    limit: z
      .string()
      .regex(/^\d{1,4}$/)
      .transform(Number)
      .pipe(z.number().int().min(1).max(limits.historyMaxLimit))
      .optional(),
  })
  .refine((q) => [q.since, q.before, q.changedSince].filter((v) => v !== undefined).length <= 1, {
    message: 'give one of since, before or changedSince',
  });
export type HistoryQuery = z.infer<typeof HistoryQuery>;

export const HistoryAnswer = z.object({
  room: z.string(),
  messages: z.array(Message),
  /** With changedSince: the room's rev when read; ask from it next time. */
  lastRev: z.number().int().optional(),
});
export type HistoryAnswer = z.infer<typeof HistoryAnswer>;

export const RoomsAnswer = z.object({ rooms: z.array(RoomSummary) });
export type RoomsAnswer = z.infer<typeof RoomsAnswer>;
