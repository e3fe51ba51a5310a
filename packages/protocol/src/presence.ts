import { z } from 'zod';
import { userIdPattern } from './names.ts';

export const PresenceStatus = z.enum(['online', 'away', 'offline']);
export type PresenceStatus = z.infer<typeof PresenceStatus>;

/** Server → client: a user who shares a room with this connection changed status. */
export const PresenceFrame = z.object({ type: z.literal('presence'), userId: z.string(), status: PresenceStatus });
export type PresenceFrame = z.infer<typeof PresenceFrame>;

/** How many ids one `GET /presence` may ask about. */
export const maxPresenceIds = 100;

/** `GET /presence?ids=a,b,c`: at most maxPresenceIds ids. */
export const PresenceQuery = z.object({
  ids: z
    .string()
    .max(maxPresenceIds * 41)
    .transform((ids) => [...new Set(ids.split(',').filter((id) => id.length > 0))])
    .pipe(z.array(z.string().regex(userIdPattern, 'a user id')).min(1).max(maxPresenceIds)),
});

export const PresenceAnswer = z.object({ presence: z.record(z.string(), PresenceStatus) });
export type PresenceAnswer = z.infer<typeof PresenceAnswer>;
