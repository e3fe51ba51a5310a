import { Component, Suspense, type ReactNode } from 'react';
import { ChunkLoadError } from './lazy-part.ts';

interface LazyBoundaryProps {
  children: ReactNode;
  /** Closes the part that failed to load (the dialog's own onClose); without it, only Reload is offered. */
  onClose?: (() => void) | undefined;
  /** Shown while the chunk loads; a small status by default. */
  fallback?: ReactNode;
}

/**
 * Around a part of its own chunk (lazy-parts.ts): a small "Loading…" while the chunk is slow, and
 * an alert with Reload if it fails, in place of that part only: the chat around it stays.
 */
export function LazyBoundary({ children, onClose, fallback = <PartLoading /> }: LazyBoundaryProps) {
  return (
    <ChunkErrorBoundary onClose={onClose}>
      <Suspense fallback={fallback}>{children}</Suspense>
    </ChunkErrorBoundary>
  );
}

function PartLoading() {
  // Shown only after a short delay (CSS), so that a chunk that arrives at once does not flash it.
  return (
    <p className="part-loading" role="status">
      Loading…
    </p>
  );
}

interface BoundaryProps {
  children: ReactNode;
  onClose: (() => void) | undefined;
}

class ChunkErrorBoundary extends Component<BoundaryProps, { error: Error | null }> {
  override state: { error: Error | null } = { error: null };

  static getDerivedStateFromError(error: unknown) {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  override render() {
    const { error } = this.state;
    if (error === null) return this.props.children;
    // Any other error is a bug of the part itself: it goes on up, as it did before the split.
    if (!(error instanceof ChunkLoadError)) throw error;
    const { onClose } = this.props;
    return (
      <div className="part-error" role="alert">
        <p>This part of pockychat could not be loaded. The connection may have dropped, or pockychat was updated.</p>
        <div className="part-error__actions">
          {onClose && (
            <button type="button" className="chip" onClick={onClose}>
              Close
            </button>
          )}
          <button type="button" className="button" onClick={() => window.location.reload()}>
            Reload
          </button>
        </div>
      </div>
    );
  }
}
