import { Component, type ReactNode } from 'react';

interface ErrorBoundaryProps {
  children: ReactNode;
  /** Shown in place of the children once one of them threw while rendering. */
  fallback: ReactNode;
  /** A new value shows the children again (a message edited since, say). */
  resetKey?: unknown;
}

interface ErrorBoundaryState {
  failed: boolean;
  /** The resetKey the failure happened with. */
  failedWith: unknown;
}

/**
 * A render error in the children shows `fallback` instead of unmounting everything up to the
 * root. The error is logged once, by the root's onCaughtError (main.tsx), with its component stack.
 */
export class ErrorBoundary extends Component<ErrorBoundaryProps, ErrorBoundaryState> {
  override state: ErrorBoundaryState = { failed: false, failedWith: undefined };

  static getDerivedStateFromError(): Partial<ErrorBoundaryState> {
    return { failed: true };
  }

  static getDerivedStateFromProps(
    props: ErrorBoundaryProps,
    state: ErrorBoundaryState,
  ): Partial<ErrorBoundaryState> | null {
    if (!state.failed) return state.failedWith === props.resetKey ? null : { failedWith: props.resetKey };
    return state.failedWith === props.resetKey ? null : { failed: false, failedWith: props.resetKey };
  }

  override render() {
    return this.state.failed ? this.props.fallback : this.props.children;
  }
}
