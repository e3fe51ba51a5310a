import { useState } from 'react';
import type { User } from '@pockychat/protocol';
import { GroupPicker } from './lazy-parts.ts';
import { LazyBoundary } from './LazyBoundary.tsx';

/** The sidebar's "New group message" button and its picker. */
export function NewGroupMessage({ me, onStarted }: { me: User; onStarted: () => void }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" className="chip sidebar__new-group" onClick={() => setOpen(true)}>
        New group message
      </button>
      {open && (
        <LazyBoundary onClose={() => setOpen(false)}>
          <GroupPicker
            me={me}
            onClose={() => setOpen(false)}
            onStarted={() => {
              setOpen(false);
              onStarted();
            }}
          />
        </LazyBoundary>
      )}
    </>
  );
}
