import { useRef, useState } from 'react';
import { useChatSession } from '../session/session-context.ts';
import { GifRecorder } from './lazy-parts.ts';
import { LazyBoundary } from './LazyBoundary.tsx';

/** The composer's buttons for files: attach from disk, or record a GIF with the camera. */
export function ComposerTools({ room }: { room: string }) {
  const session = useChatSession();
  const inputRef = useRef<HTMLInputElement>(null);
  const [recording, setRecording] = useState(false);

  return (
    <div className="composer__tools">
      <button
        type="button"
        className="composer__tool"
        aria-label="Attach file"
        title="Attach file"
        onClick={() => inputRef.current?.click()}
      >
        <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false">
          <path
            d="M20.5 11.5 12.3 19.7a5 5 0 0 1-7.1-7.1l8.5-8.5a3.3 3.3 0 0 1 4.7 4.7l-8.5 8.5a1.7 1.7 0 0 1-2.4-2.4l7.8-7.8"
            fill="none"
            stroke="currentColor"
            strokeWidth="1.8"
            strokeLinecap="round"
            strokeLinejoin="round"
          />
        </svg>
      </button>
      <input
        ref={inputRef}
        type="file"
        multiple
        hidden
        tabIndex={-1}
        onChange={(event) => {
          for (const file of event.target.files ?? []) session.uploads.attach(room, file);
          // Cleared so choosing the same file again still fires a change.
          event.target.value = '';
        }}
      />
      <button
        type="button"
        className="composer__tool composer__tool--gif"
        aria-label="Record GIF"
        title="Record GIF"
        onClick={() => setRecording(true)}
      >
        GIF
      </button>
      {recording && (
        <LazyBoundary onClose={() => setRecording(false)}>
          <GifRecorder room={room} onClose={() => setRecording(false)} />
        </LazyBoundary>
      )}
    </div>
  );
}
