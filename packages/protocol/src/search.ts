import { z } from 'zod';
import { Message } from './entities.ts';

/** `GET /search?q=Q&room=R&limit=N`: the matches, best first. */
export const SearchAnswer = z.object({ messages: z.array(Message) });
export type SearchAnswer = z.infer<typeof SearchAnswer>;
