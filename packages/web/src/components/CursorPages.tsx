import { useState } from 'react';

/** Keyset paging: the cursors of the pages shown so far ([undefined] is the first page). */
export interface CursorPages {
  cursor: string | undefined;
  first: boolean;
  back: () => void;
  forward: (next: string) => void;
  reset: () => void;
}

export function useCursorPages(): CursorPages {
  const [cursors, setCursors] = useState<Array<string | undefined>>([undefined]);
  return {
    cursor: cursors.at(-1),
    first: cursors.length === 1,
    back: () => setCursors((c) => c.slice(0, -1)),
    forward: (next) => setCursors((c) => [...c, next]),
    reset: () => setCursors([undefined]),
  };
}

/** Previous and Next under a list paged by cursors; `next` is the page's own (none on the last page). */
export function PageButtons({ pages, next }: { pages: CursorPages; next: string | undefined }) {
  return (
    <div className="admin-paging">
      <button type="button" className="chip" disabled={pages.first} onClick={pages.back}>
        Previous page
      </button>
      <button type="button" className="chip" disabled={!next} onClick={() => next && pages.forward(next)}>
        Next page
      </button>
    </div>
  );
}
