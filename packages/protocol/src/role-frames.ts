import { z } from 'zod';

/**
 * Running a team: the caller's role in a room changed (an owner or an admin
 * made it a moderator, or a plain member again). Sent to each of the user's
 * connections, on every node, so that a client shows or hides the moderator's
 * actions without a reload. Defined apart from frames.ts, which joins it into
 * its union; a v1 client ignores it.
 */
export const RoleFrame = z.object({
  type: z.literal('role'),
  room: z.string(),
  role: z.enum(['moderator', 'member']),
});
export type RoleFrame = z.infer<typeof RoleFrame>;
