import { z } from 'zod';
import { User, Visibility } from './entities.ts';
import { userIdPattern } from './names.ts';

/**
 * Invite links and group direct messages (docs/protocol.md, "Invite links"
 * and "Group direct messages"): bodies and answers of their HTTP calls.
 */

export const inviteLinkLimits = {
  /** A link lives at most a year. */
  maxExpiresInMinutes: 365 * 24 * 60,
  maxUses: 10_000,
  /** A group DM holds 3 to 8 people, the caller included. */
  minGroupDmPeople: 3,
  maxGroupDmPeople: 8,
} as const;

/** A link's secret code: 144 random bits in base64url (24 characters); shorter or longer ones are refused. */
export const LinkCode = z.string().regex(/^[A-Za-z0-9_-]{22,64}$/, { message: 'not an invite link code' });
/** A link's public id (for listing and revoking), never its code. */
export const LinkId = z.string().regex(/^[a-z0-9]{1,40}$/, { message: 'not an invite link id' });

export const CreateLinkBody = z
  .object({
    /** Absent: the link never expires. */
    expiresInMinutes: z.number().int().min(1).max(inviteLinkLimits.maxExpiresInMinutes).optional(),
    /** Absent: any number of uses. */
    maxUses: z.number().int().min(1).max(inviteLinkLimits.maxUses).optional(),
  })
  .strict();
export type CreateLinkBody = z.infer<typeof CreateLinkBody>;

export const InviteLink = z.object({
  id: z.string(),
  room: z.string(),
  /** Only in the answer to its creation: the server keeps a hash of it, never the code. */
  code: z.string().optional(),
  createdBy: User,
  createdAt: z.string(),
  expiresAt: z.string().optional(),
  maxUses: z.number().int().positive().optional(),
  /** How many people joined by it (members already there take no use). */
  uses: z.number().int().nonnegative(),
});
export type InviteLink = z.infer<typeof InviteLink>;

export const LinkAnswer = z.object({ link: InviteLink });
export type LinkAnswer = z.infer<typeof LinkAnswer>;

export const LinksAnswer = z.object({ room: z.string(), links: z.array(InviteLink) });
export type LinksAnswer = z.infer<typeof LinksAnswer>;

export const LinkRefusal = z.enum(['expired', 'used_up', 'revoked']);
export type LinkRefusal = z.infer<typeof LinkRefusal>;

/** What `GET /links/:code` shows before joining. */
export const LinkPreview = z.object({
  room: z.string(),
  visibility: Visibility,
  members: z.number().int().nonnegative(),
  /** Whether the caller is already a member (joining then takes no use). */
  member: z.boolean(),
  /** Whether a join by this link would be let in now. */
  valid: z.boolean(),
  /** Why not, when not valid. */
  reason: LinkRefusal.optional(),
});
export type LinkPreview = z.infer<typeof LinkPreview>;

export const LinkJoinAnswer = z.object({ room: z.string() });
export type LinkJoinAnswer = z.infer<typeof LinkJoinAnswer>;

export const GroupDmBody = z.object({ userIds: z.array(z.string().regex(userIdPattern)).min(1).max(16) }).strict();
export type GroupDmBody = z.infer<typeof GroupDmBody>;

export const GroupDm = z.object({ room: z.string(), participants: z.array(User) });
export type GroupDm = z.infer<typeof GroupDm>;

/** `POST /group-dms` answers the room itself: `{ room, participants }`. */
export const GroupDmAnswer = GroupDm;
export type GroupDmAnswer = GroupDm;

export const GroupDmsAnswer = z.object({ groupDms: z.array(GroupDm) });
export type GroupDmsAnswer = z.infer<typeof GroupDmsAnswer>;
