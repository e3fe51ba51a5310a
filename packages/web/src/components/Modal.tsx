import { useEffect, useId, useRef, type ReactNode } from 'react';

interface ModalProps {
  title: string;
  onClose: () => void;
  children: ReactNode;
  /** In place of `modal`, for a dialog of another size. */
  className?: string;
}

/**
 * A modal <dialog>: the browser traps focus, makes the page behind it inert and closes it on
 * Escape. A click on the backdrop closes it too.
 */
export function Modal({ title, onClose, children, className = 'modal' }: ModalProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    // No close() on cleanup: unmounting removes the dialog from the top layer, and a close event
    // fired by StrictMode's rehearsal unmount would close the dialog for real.
    if (dialog && !dialog.open) dialog.showModal();
  }, []);
  return (
    <dialog
      ref={ref}
      className={className}
      aria-labelledby={titleId}
      onClose={onClose}
      onClick={(event) => {
        if (event.target === ref.current) onClose();
      }}
    >
      <div className="modal__body">
        <header className="modal__header">
          <h2 id={titleId} className="modal__title">
            {title}
          </h2>
          <button type="button" className="icon-button" aria-label="Close" onClick={onClose}>
            ×
          </button>
        </header>
        {children}
      </div>
    </dialog>
  );
}
