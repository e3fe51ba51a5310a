import { useRef, useState, type MouseEvent } from 'react';
import type { FileRef } from '@pockychat/protocol';
import { useChatSession } from '../session/session-context.ts';
import { fileKind, formatBytes, type FileKind } from '../state/file-kind.ts';
import { useFileUrl, useNearViewport } from './use-object-url.ts';

/** A file of a message: pictures, video and audio inline; anything else as a download link. */
export function FileAttachment({ file }: { file: FileRef }) {
  const kind = fileKind(file.type);
  return kind === 'download' ? <FileDownload file={file} /> : <InlineMedia file={file} kind={kind} />;
}

function InlineMedia({ file, kind }: { file: FileRef; kind: Exclude<FileKind, 'download'> }) {
  const ref = useRef<HTMLDivElement>(null);
  const near = useNearViewport(ref);
  const { url, failed } = useFileUrl(file.url, near);
  return (
    <div ref={ref} className={`attachment attachment--${kind}`}>
      <MediaView kind={kind} url={url} name={file.name} width={file.width} height={file.height} />
      {failed && <span className="attachment__error">Could not load {file.name}</span>}
    </div>
  );
}

interface MediaViewProps {
  kind: Exclude<FileKind, 'download'>;
  url: string | undefined;
  name: string;
  width?: number;
  height?: number;
}

/**
 * The element for inline media. width/height come from the message, so the box is reserved
 * (CSS scales it down keeping the ratio) before the bytes arrive and the log does not jump.
 */
export function MediaView({ kind, url, name, width, height }: MediaViewProps) {
  switch (kind) {
    case 'image':
      return <img className="attachment__media" src={url} alt={name} width={width} height={height} decoding="async" />;
    case 'video':
      return (
        <video className="attachment__media" src={url} controls playsInline preload="metadata" aria-label={name} />
      );
    case 'audio':
      return <audio className="attachment__audio" src={url} controls preload="metadata" aria-label={name} />;
  }
}

/** A link with the file's name and size; the click fetches the bytes with the token and saves them. */
function FileDownload({ file }: { file: FileRef }) {
  const session = useChatSession();
  const [state, setState] = useState<'idle' | 'loading' | 'failed'>('idle');
  const onClick = (event: MouseEvent<HTMLAnchorElement>) => {
    event.preventDefault();
    if (state === 'loading') return;
    setState('loading');
    session.fileBlobs.download(file.url).then(
      (blob) => {
        saveBlob(blob, file.name);
        setState('idle');
      },
      () => setState('failed'),
    );
  };
  return (
    <a
      className="attachment file-card"
      href={session.fileBlobs.resolve(file.url)}
      download={file.name}
      onClick={onClick}
      aria-busy={state === 'loading'}
    >
      <FileCardBody
        name={file.name}
        detail={state === 'failed' ? 'Download failed — click to retry' : formatBytes(file.size)}
      />
    </a>
  );
}

/** A file's icon, name and a detail line (its size): the face of a file that does not show inline. */
export function FileCardBody({ name, detail }: { name: string; detail: string }) {
  return (
    <>
      <FileIcon />
      <span className="file-card__info">
        <span className="file-card__name">{name}</span>
        <span className="file-card__detail">{detail}</span>
      </span>
    </>
  );
}

function saveBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  // The download reads the URL after this returns; a minute is plenty, then the memory is freed.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

function FileIcon() {
  return (
    <svg className="file-card__icon" viewBox="0 0 24 24" width="28" height="28" aria-hidden="true" focusable="false">
      <path
        d="M6 2.75h8.2L19.25 7.8V20a1.25 1.25 0 0 1-1.25 1.25H6A1.25 1.25 0 0 1 4.75 20V4A1.25 1.25 0 0 1 6 2.75z"
        fill="none"
        stroke="currentColor"
        strokeWidth="1.5"
        strokeLinejoin="round"
      />
      <path d="M14 3v5h5" fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinejoin="round" />
    </svg>
  );
}
