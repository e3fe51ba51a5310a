import { useId, useLayoutEffect, useRef } from 'react';
import { GIF_MAX_MS } from '../gif/frame-plan.ts';
import { useChatSession } from '../session/session-context.ts';
import { formatBytes } from '../state/file-kind.ts';
import { useObjectUrl } from './use-object-url.ts';
import { useGifRecording, type GifPhase } from './use-gif-recording.ts';

/** The "Record GIF" dialog: live preview, 3-2-1, up to 3 s of recording, encoding, then send or discard. */
export function GifRecorder({ room, onClose }: { room: string; onClose: () => void }) {
  const session = useChatSession();
  const dialogRef = useRef<HTMLDialogElement>(null);
  const videoRef = useRef<HTMLVideoElement>(null);
  const titleId = useId();
  const { phase, stop, again } = useGifRecording(videoRef);
  const live = phase.kind === 'starting' || phase.kind === 'countdown' || phase.kind === 'recording';

  // A modal <dialog>: focus stays inside, Escape closes it, the page behind is inert.
  useLayoutEffect(() => {
    const dialog = dialogRef.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);

  const send = (gif: Blob, width: number, height: number) => {
    session.uploads.attach(room, gif, { name: gifName(new Date()), width, height });
    onClose();
  };

  return (
    <dialog
      ref={dialogRef}
      className="gif-dialog"
      aria-labelledby={titleId}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
    >
      <h2 id={titleId} className="gif-dialog__title">
        Record a GIF
      </h2>
      <div className={live ? 'gif-stage' : 'gif-stage gif-stage--hidden'}>
        <video ref={videoRef} className="gif-stage__video" muted playsInline aria-label="Camera preview" />
        {phase.kind === 'countdown' && (
          <span className="gif-stage__count" aria-hidden="true">
            {phase.count}
          </span>
        )}
        {phase.kind === 'recording' && <span className="gif-stage__rec">REC</span>}
      </div>
      <PhaseBody phase={phase} onStop={stop} onAgain={again} onSend={send} onClose={onClose} />
    </dialog>
  );
}

interface PhaseBodyProps {
  phase: GifPhase;
  onStop: () => void;
  onAgain: () => void;
  onSend: (gif: Blob, width: number, height: number) => void;
  onClose: () => void;
}

function PhaseBody({ phase, onStop, onAgain, onSend, onClose }: PhaseBodyProps) {
  switch (phase.kind) {
    case 'starting':
      return <Footer status="Asking for your camera…" actions={<CloseButton onClose={onClose} />} />;
    case 'countdown':
      return <Footer status={`Recording in ${phase.count}…`} actions={<CloseButton onClose={onClose} />} />;
    case 'recording':
      return (
        <Footer
          status="Recording…"
          bar={<progress className="gif-dialog__bar" max={GIF_MAX_MS} value={phase.elapsedMs} aria-label="Recorded" />}
          actions={
            <button type="button" className="button" onClick={onStop}>
              Stop
            </button>
          }
        />
      );
    case 'encoding':
      return (
        <Footer
          status={`Making your GIF… ${Math.round(phase.progress * 100)}%`}
          bar={<progress className="gif-dialog__bar" max={1} value={phase.progress} aria-label="Encoding GIF" />}
          actions={<CloseButton onClose={onClose} />}
        />
      );
    case 'ready':
      return <GifResult gif={phase.gif} width={phase.width} height={phase.height} onSend={onSend} onClose={onClose} />;
    case 'failed':
      return (
        <Footer
          alert={phase.message}
          actions={
            <>
              <CloseButton onClose={onClose} />
              <button type="button" className="button" onClick={onAgain}>
                Try again
              </button>
            </>
          }
        />
      );
  }
}

function GifResult(props: {
  gif: Blob;
  width: number;
  height: number;
  onSend: PhaseBodyProps['onSend'];
  onClose: () => void;
}) {
  const url = useObjectUrl(props.gif);
  return (
    <>
      <img className="gif-dialog__result" src={url} alt="Your GIF" width={props.width} height={props.height} />
      <Footer
        status={`Your GIF · ${formatBytes(props.gif.size)}`}
        actions={
          <>
            <button type="button" className="chip" onClick={props.onClose}>
              Discard
            </button>
            <button type="button" className="button" onClick={() => props.onSend(props.gif, props.width, props.height)}>
              Send GIF
            </button>
          </>
        }
      />
    </>
  );
}

function Footer(props: { status?: string; alert?: string; bar?: React.ReactNode; actions: React.ReactNode }) {
  return (
    <div className="gif-dialog__footer">
      {props.bar}
      {props.status && (
        <p className="gif-dialog__status" role="status">
          {props.status}
        </p>
      )}
      {props.alert && (
        <p className="gif-dialog__alert" role="alert">
          {props.alert}
        </p>
      )}
      <div className="gif-dialog__actions">{props.actions}</div>
    </div>
  );
}

function CloseButton({ onClose }: { onClose: () => void }) {
  return (
    <button type="button" className="chip" onClick={onClose}>
      Cancel
    </button>
  );
}

/** gif-2026-11-24-18-05-09.gif: sortable, and distinct when several are saved. */
function gifName(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  const parts = [date.getFullYear(), date.getMonth() + 1, date.getDate(), date.getHours(), date.getMinutes()];
  return `gif-${parts.map(pad).join('-')}-${pad(date.getSeconds())}.gif`;
}
