import { lazy, type ComponentType, type LazyExoticComponent } from 'react';

/**
 * A chunk of the client that did not arrive: the network failed, or the server was redeployed and
 * the chunk this page was built against is gone. Only a reload helps in the second case.
 */
export class ChunkLoadError extends Error {
  constructor(cause: unknown) {
    super('A part of the client failed to load', { cause });
    this.name = 'ChunkLoadError';
  }
}

/** A component of its own chunk, fetched on first render, or earlier by `preload`. */
export type LazyPart<P extends object> = LazyExoticComponent<ComponentType<P>> & {
  /** Starts the fetch (once); resolves when the component can render without suspending. */
  preload(): Promise<ComponentType<P>>;
};

/**
 * Wraps a dynamic import of a component in React.lazy, sharing one fetch between `preload` and the
 * first render, and tagging a failed fetch as a ChunkLoadError for LazyBoundary. A failed fetch is
 * not kept: a preload that met a dropped connection leaves the first render to fetch again (once
 * a render's fetch failed, React.lazy keeps that, and LazyBoundary offers Reload).
 */
export function lazyPart<P extends object>(load: () => Promise<ComponentType<P>>): LazyPart<P> {
  let loading: Promise<ComponentType<P>> | undefined;
  const preload = () =>
    (loading ??= load().catch((error: unknown) => {
      loading = undefined;
      throw new ChunkLoadError(error);
    }));
  return Object.assign(
    lazy(async () => ({ default: await preload() })),
    { preload },
  );
}

/** Runs `run` once the browser is idle (or after `timeoutMs`); returns a cancel. */
export function whenIdle(run: () => void, timeoutMs = 2_000): () => void {
  if (typeof requestIdleCallback === 'function') {
    const id = requestIdleCallback(run, { timeout: timeoutMs });
    return () => cancelIdleCallback(id);
  }
  // Safari has no requestIdleCallback.
  const id = setTimeout(run, 200);
  return () => clearTimeout(id);
}
