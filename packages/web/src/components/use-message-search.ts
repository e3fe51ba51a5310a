import { useEffect, useState } from 'react';
import type { Message } from '@pockychat/protocol';
import { ApiError } from '../api/api-error.ts';
import type { SearchApi } from '../api/search-api.ts';

/** Typing pauses this long before a query goes out: one request per word, not per key. */
export const SEARCH_DEBOUNCE_MS = 200;
const RESULTS = 50;

export type SearchStatus =
  | { kind: 'idle' }
  | { kind: 'searching' }
  | { kind: 'done'; query: string; messages: Message[] }
  | { kind: 'failed'; error: string };

/**
 * The results for what is typed: debounced, and a query overtaken by the next one is aborted, so
 * an answer that comes late never replaces a newer one. Keeps the last results while the next
 * query runs, so the list does not flicker.
 */
export function useMessageSearch(api: SearchApi, query: string) {
  const [status, setStatus] = useState<SearchStatus>({ kind: 'idle' });
  const [shown, setShown] = useState<{ query: string; messages: Message[] }>({ query: '', messages: [] });
  const trimmed = query.trim();

  useEffect(() => {
    if (trimmed === '') {
      setStatus({ kind: 'idle' });
      setShown({ query: '', messages: [] });
      return undefined;
    }
    const abort = new AbortController();
    setStatus({ kind: 'searching' });
    const timer = setTimeout(() => {
      api.search(trimmed, { limit: RESULTS, signal: abort.signal }).then(
        (messages) => {
          if (abort.signal.aborted) return;
          setStatus({ kind: 'done', query: trimmed, messages });
          setShown({ query: trimmed, messages });
        },
        (error: unknown) => {
          if (abort.signal.aborted) return;
          setStatus({ kind: 'failed', error: describe(error) });
        },
      );
    }, SEARCH_DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      abort.abort();
    };
  }, [api, trimmed]);

  return { status, shown };
}

function describe(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.code === 'rate_limited') return 'Too many searches; wait a moment.';
    if (error.code === 'network') return 'Cannot reach the server.';
    return error.message;
  }
  return 'Cannot reach the server.';
}
