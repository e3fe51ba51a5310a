import { z } from 'zod';

/** The client says whether one of its tabs is visible: pushes go only to users with none. */
export const ActivityFrame = z.object({ type: z.literal('activity'), visible: z.boolean() });
export type ActivityFrame = z.infer<typeof ActivityFrame>;
