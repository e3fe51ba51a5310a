import { useRef, useState, type DragEvent } from 'react';

export interface FileDrop {
  /** A drag with files is over the target: show where to drop. */
  active: boolean;
  handlers: {
    onDragEnter: (event: DragEvent) => void;
    onDragOver: (event: DragEvent) => void;
    onDragLeave: (event: DragEvent) => void;
    onDrop: (event: DragEvent) => void;
  };
}

/** Files dropped onto an element. Drags of text or links are left to the browser. */
export function useFileDrop(onFiles: (files: File[]) => void): FileDrop {
  const [active, setActive] = useState(false);
  // dragenter/dragleave fire for every child crossed; only leaving the last one ends the drag.
  const depth = useRef(0);
  const carriesFiles = (event: DragEvent) => event.dataTransfer.types.includes('Files');

  return {
    active,
    handlers: {
      onDragEnter(event) {
        if (!carriesFiles(event)) return;
        event.preventDefault();
        depth.current += 1;
        setActive(true);
      },
      onDragOver(event) {
        if (!carriesFiles(event)) return;
        // Without this the browser does not allow a drop here (and opens the file instead).
        event.preventDefault();
        event.dataTransfer.dropEffect = 'copy';
      },
      onDragLeave(event) {
        if (!carriesFiles(event)) return;
        depth.current = Math.max(0, depth.current - 1);
        if (depth.current === 0) setActive(false);
      },
      onDrop(event) {
        if (!carriesFiles(event)) return;
        event.preventDefault();
        depth.current = 0;
        setActive(false);
        onFiles([...event.dataTransfer.files]);
      },
    },
  };
}
