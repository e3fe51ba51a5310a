import type { z } from 'zod';
import { ChatError } from '../chat/chat-error.ts';

/** Validates at the edge with a shared schema: typed value out, or a bad_request naming the first problem. */
export function parse<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  throw new ChatError('bad_request', `${where}${issue?.message ?? 'bad request'}`);
}
