import { z } from 'zod';

/**
 * Client → server: the tab's visibility, sent on connect, on each
 * visibilitychange, and on user input at most once a minute while visible.
 * A connection that reported visible:true within the away threshold makes
 * its user online.
 */
export const ActivityFrame = z.object({ type: z.literal('activity'), visible: z.boolean() });
export type ActivityFrame = z.infer<typeof ActivityFrame>;
