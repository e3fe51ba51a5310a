import { z } from 'zod';
import { Message } from './entities.ts';
import { RoomName } from './names.ts';

/** Full-text search's limits (GET /search). */
export const searchLimits = {
  maxQueryChars: 200,
  defaultLimit: 20,
  maxLimit: 100,
} as const;

/** `GET /search?q=Q&room=R&limit=N`: q is 1 to 200 characters once trimmed. */
export const SearchQuery = z.object({
  q: z
    .string()
    .max(searchLimits.maxQueryChars, `q is at most ${searchLimits.maxQueryChars} characters`)
    .refine((q) => q.trim().length > 0, { message: 'q is empty' }),
  room: RoomName.optional(),
  limit: z
    .string()
    .regex(/^\d{1,3}$/)
    .transform(Number)
    .pipe(z.number().int().min(1).max(searchLimits.maxLimit))
    .optional(),
});
export type SearchQuery = z.infer<typeof SearchQuery>;

/** Best matches first. */
export const SearchAnswer = z.object({ messages: z.array(Message) });
export type SearchAnswer = z.infer<typeof SearchAnswer>;
