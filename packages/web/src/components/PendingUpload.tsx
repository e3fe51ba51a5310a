import type { PendingFile, PendingMessage } from '../state/chat-state.ts';
import { fileKind, formatBytes } from '../state/file-kind.ts';
import { useChatSession } from '../session/session-context.ts';
import { FileCardBody, MediaView } from './FileAttachment.tsx';
import { useObjectUrl } from './use-object-url.ts';

/** An own file on its way: the local bytes as preview, how much is sent, and a way to stop it. */
export function PendingUpload({ pending, file }: { pending: PendingMessage; file: PendingFile }) {
  const session = useChatSession();
  const kind = fileKind(file.type);
  const url = useObjectUrl(kind === 'download' ? undefined : session.uploads.fileOf(pending.clientId));
  const percent = Math.round(file.progress * 100);
  return (
    <div className={`attachment attachment--${kind}`}>
      {kind === 'download' ? (
        <div className="file-card">
          <FileCardBody name={file.name} detail={formatBytes(file.size)} />
        </div>
      ) : (
        <MediaView kind={kind} url={url} name={file.name} width={file.width} height={file.height} />
      )}
      {pending.status === 'sending' && (
        <div className="upload">
          <progress className="upload__bar" max={1} value={file.progress} aria-label={`Uploading ${file.name}`} />
          <span className="upload__percent" aria-hidden="true">
            {percent}%
          </span>
          <button type="button" className="chip" onClick={() => session.uploads.cancel(pending.clientId)}>
            Cancel upload
          </button>
        </div>
      )}
    </div>
  );
}
