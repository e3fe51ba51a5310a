import type { Logger } from 'pino';
import type { SearchStore } from '../chat/ports/search-store.ts';

/** Progress is logged at most this often, and at the end. */
const LOG_EVERY_MS = 2000;

export interface SearchIndexing {
  /** Asks the indexing to stop after its batch under way; resolves once it has. */
  stop(): Promise<void>;
  /** Resolves when the messages stored before search existed are all indexed (or it stopped). */
  readonly done: Promise<void>;
}

/**
 * Indexes the messages stored before the search index existed, in the
 * background once the server listens: batches in their own transactions,
 * the server answering between them, progress in the log.
 */
export function startSearchIndexing(store: SearchStore, log: Logger): SearchIndexing {
  let stopping = false;
  let lastLog = 0;
  const started = Date.now();
  const done = store
    .indexExisting(
      (progress) => {
        const now = Date.now();
        if (progress.done) {
          if (progress.total > 0)
            log.info({ indexed: progress.indexed, ms: now - started }, 'search: existing messages indexed');
        } else if (now - lastLog >= LOG_EVERY_MS || lastLog === 0) {
          lastLog = now;
          log.info({ indexed: progress.indexed, total: progress.total }, 'search: indexing existing messages');
        }
      },
      () => stopping,
    )
    .catch((err: unknown) => {
      if (!stopping) log.error({ err: (err as Error).message }, 'search: indexing existing messages failed');
    });
  return {
    done,
    async stop() {
      stopping = true;
      await done;
    },
  };
}
