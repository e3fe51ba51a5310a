import { useEffect, useId, useRef, type FocusEvent, type KeyboardEvent } from 'react';

interface InlineConfirmProps {
  /** The question, which also names the group: "Delete this message for everyone?" */
  question: string;
  /** The confirming button's words: the action itself ("Delete", "Ban"). */
  confirmLabel: string;
  onConfirm: () => void;
  onCancel: () => void;
  /** Where the focus goes once answered: what was asked about, or the button that asked. */
  returnFocus: (from: HTMLElement) => HTMLElement | null | undefined;
  className?: string;
}

/**
 * A question asked in the page, next to what it is about, in place of a native confirm (which
 * blocks the page and cannot be styled). The confirming button has the focus, so Enter confirms;
 * Escape, Cancel or focus leaving it cancels. Answered, focus goes back to `returnFocus`.
 */
export function InlineConfirm({
  question,
  confirmLabel,
  onConfirm,
  onCancel,
  returnFocus,
  className,
}: InlineConfirmProps) {
  const confirmRef = useRef<HTMLButtonElement>(null);
  const labelId = useId();
  useEffect(() => confirmRef.current?.focus(), []);

  const answer = (from: HTMLElement, then: () => void) => {
    returnFocus(from)?.focus();
    then();
  };
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key !== 'Escape') return;
    // Before the message's own Escape handler, which would close its actions only; and without
    // the default, so that a modal dialog around the question stays open.
    event.stopPropagation();
    event.preventDefault();
    answer(event.currentTarget, onCancel);
  };
  const onBlur = (event: FocusEvent<HTMLDivElement>) => {
    if (!event.currentTarget.contains(event.relatedTarget)) onCancel();
  };
  return (
    <div
      className={className ? `inline-confirm ${className}` : 'inline-confirm'}
      role="group"
      aria-labelledby={labelId}
      onKeyDown={onKeyDown}
      onBlur={onBlur}
    >
      <span id={labelId} className="inline-confirm__question">
        {question}
      </span>
      <button
        ref={confirmRef}
        type="button"
        className="chip inline-confirm__confirm"
        onClick={(event) => answer(event.currentTarget, onConfirm)}
      >
        {confirmLabel}
      </button>
      <button type="button" className="chip" onClick={(event) => answer(event.currentTarget, onCancel)}>
        Cancel
      </button>
    </div>
  );
}
