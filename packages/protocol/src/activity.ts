import { z } from 'zod';
import { limits } from './limits.ts';
import { storableText } from './text.ts';

/**
 * The client says whether its tab is visible: pushes go only to users with
 * none. Like every client frame it may carry a request id (answered `ok`).
 */
export const ActivityFrame = z.object({
  type: z.literal('activity'),
  id: storableText(1, limits.maxRequestIdChars).optional(),
  visible: z.boolean(),
});
export type ActivityFrame = z.infer<typeof ActivityFrame>;
