import type { FastifyInstance } from 'fastify';
import { SearchQuery } from '@pockychat/protocol';
import type { SearchService } from '../chat/search.ts';
import { parse } from './parse.ts';
import type { HttpSession } from './session.ts';

/** GET /search?q=Q&room=R&limit=N: `{ messages }`, best matches first, from the rooms the caller may read now. */
export function registerSearchRoutes(
  app: FastifyInstance,
  deps: { search: SearchService; session: HttpSession },
): void {
  app.get('/search', async (request) => {
    const user = await deps.session.require(request);
    const query = parse(SearchQuery, request.query);
    return { messages: await deps.search.search(user, query) };
  });
}
