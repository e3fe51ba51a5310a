import { useEffect, useId, useRef, type FocusEvent, type KeyboardEvent } from 'react';

interface DeleteConfirmProps {
  onConfirm: () => void;
  onCancel: () => void;
}

/**
 * "Delete this message?" in the message's toolbar, in place of a native confirm (which blocks
 * the page and cannot be styled). The Delete button has the focus, so Enter confirms; Escape,
 * Cancel or focus leaving it cancels. Focus goes back to the message either way.
 */
export function DeleteConfirm({ onConfirm, onCancel }: DeleteConfirmProps) {
  const confirmRef = useRef<HTMLButtonElement>(null);
  const labelId = useId();
  useEffect(() => confirmRef.current?.focus(), []);

  const backToMessage = (from: HTMLElement) => from.closest<HTMLElement>('li.message')?.focus();
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key !== 'Escape') return;
    // Before the message's own Escape handler, which would close its actions only.
    event.stopPropagation();
    backToMessage(event.currentTarget);
    onCancel();
  };
  const onBlur = (event: FocusEvent<HTMLDivElement>) => {
    if (!event.currentTarget.contains(event.relatedTarget)) onCancel();
  };
  return (
    <div className="delete-confirm" role="group" aria-labelledby={labelId} onKeyDown={onKeyDown} onBlur={onBlur}>
      <span id={labelId} className="delete-confirm__question">
        Delete this message for everyone?
      </span>
      <button
        ref={confirmRef}
        type="button"
        className="chip delete-confirm__confirm"
        onClick={(event) => {
          backToMessage(event.currentTarget);
          onConfirm();
        }}
      >
        Delete
      </button>
      <button
        type="button"
        className="chip"
        onClick={(event) => {
          backToMessage(event.currentTarget);
          onCancel();
        }}
      >
        Cancel
      </button>
    </div>
  );
}
