import { SearchService } from '../chat/search.ts';
import { registerSearchRoutes } from '../transport/search-routes.ts';
import { startSearchIndexing, type SearchIndexing } from '../transport/search-indexing.ts';
import { startLiveIndexing, type LiveIndexing, type LiveIndexingOptions } from '../transport/search-live-indexing.ts';
import type { HttpSession } from '../transport/session.ts';
import type { Feature, WiringBase } from './feature.ts';

export interface SearchFeature extends Feature {
  /** Indexes every message not in the index yet (tests; searches find them anyway). */
  drain(): Promise<void>;
}

/** GET /search, and its two indexers, started once the server listens. */
export function wireSearch(
  base: WiringBase,
  session: HttpSession,
  options: Partial<LiveIndexingOptions> | undefined,
): SearchFeature {
  const { store, log, http } = base;
  registerSearchRoutes(http, { search: new SearchService(store), session });
  let indexing: SearchIndexing | undefined;
  let liveIndexing: LiveIndexing | undefined;
  return {
    start() {
      // Messages stored before search existed: indexed in the background while the server answers.
      indexing ??= startSearchIndexing(store, log);
      // Messages stored since: indexed when sends leave the event loop time (search-live-indexing.ts).
      liveIndexing ??= startLiveIndexing(store, log, options);
    },
    drain: async () => liveIndexing?.drain(),
    async close() {
      await indexing?.stop();
      await liveIndexing?.stop();
    },
  };
}
