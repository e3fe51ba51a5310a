import { limits, type Message } from '@pockychat/protocol';
import { ApiError } from '../api/api-error.ts';
import type { FilesApi, UploadCall } from '../api/files-api.ts';
import type { FileBlobs } from '../api/file-blobs.ts';
import { closeContext } from '../state/context-window.ts';
import { applyAck, discardPending } from '../state/reconcile.ts';
import { addUpload, failUpload, setUploadProgress } from '../state/uploads.ts';
import type { ChatStore } from '../state/store.ts';
import { formatBytes } from '../state/file-kind.ts';
import { newClientId } from './client-id.ts';

export interface AttachOptions {
  /** Display name; a File's own name by default. */
  name?: string;
  width?: number;
  height?: number;
}

/**
 * Uploads files as messages. The store holds what the UI shows (a pending message with a file);
 * the bytes and the running requests stay here, keyed by the same clientId, for the preview,
 * Cancel and Retry.
 */
export class FileUploads {
  private readonly files = new Map<string, Blob>();
  private readonly calls = new Map<string, UploadCall>();
  private readonly store: ChatStore;
  private readonly api: FilesApi;
  private readonly blobs: FileBlobs;

  constructor(store: ChatStore, api: FilesApi, blobs: FileBlobs) {
    this.store = store;
    this.api = api;
    this.blobs = blobs;
  }

  attach(room: string, file: Blob, options: AttachOptions = {}): string {
    const clientId = newClientId();
    const name = options.name ?? (file instanceof File ? file.name : 'file');
    this.files.set(clientId, file);
    // Shown at the end of the newest messages, as a text sent: leave an older window for them.
    this.store.update((state) =>
      addUpload(closeContext(state, room), {
        clientId,
        room,
        createdAt: Date.now(),
        file: { name, type: file.type, size: file.size, width: options.width, height: options.height },
      }),
    );
    this.start(clientId);
    return clientId;
  }

  /** The bytes of a pending upload, for its preview. */
  fileOf(clientId: string): Blob | undefined {
    return this.files.get(clientId);
  }

  /** Stops an upload and forgets it; also how a failed one is discarded. */
  cancel(clientId: string): void {
    this.calls.get(clientId)?.abort();
    this.calls.delete(clientId);
    this.files.delete(clientId);
    this.store.update((state) => discardPending(state, clientId));
  }

  /** Sends a failed upload again with the same clientId (the caller has put it back in flight). */
  resend(clientId: string): void {
    this.start(clientId);
  }

  stop(): void {
    for (const call of this.calls.values()) call.abort();
    this.calls.clear();
  }

  private start(clientId: string): void {
    const pending = this.store.getState().pending[clientId];
    const file = this.files.get(clientId);
    if (!pending?.file || pending.status !== 'sending' || !file || this.calls.has(clientId)) return;
    const call = this.api.upload({
      room: pending.room,
      clientId,
      file,
      name: pending.file.name,
      onProgress: (sent, total) => this.store.update((state) => setUploadProgress(state, clientId, sent, total)),
    });
    this.calls.set(clientId, call);
    call.done.then(
      (message) => this.succeed(clientId, message),
      (error: unknown) => this.fail(clientId, error),
    );
  }

  private succeed(clientId: string, message: Message): void {
    this.calls.delete(clientId);
    const file = this.files.get(clientId);
    this.files.delete(clientId);
    // The bytes are here already: showing the sent file must not download it again.
    if (file && message.file) this.blobs.put(message.file.url, new Blob([file], { type: message.file.type }));
    this.store.update((state) => applyAck(state, { type: 'ack', clientId, message }));
  }

  private fail(clientId: string, error: unknown): void {
    this.calls.delete(clientId);
    if (error instanceof ApiError && error.code === 'aborted') return;
    const code = error instanceof ApiError ? error.code : 'internal';
    this.store.update((state) => failUpload(state, clientId, code, describeUploadError(error)));
  }
}

/**
 * The failure in words. The size limit is the server's (configurable), which it states in its
 * message ("at most N bytes"); the client does not check sizes itself, so a server allowing more
 * than the default is not second-guessed.
 */
export function describeUploadError(error: unknown): string {
  if (!(error instanceof ApiError)) return 'Upload failed.';
  switch (error.code) {
    case 'too_large': {
      const stated = /at most (\d+) bytes/.exec(error.message)?.[1];
      const limit = stated ? Number(stated) : limits.maxFileBytes;
      return `File too large (max ${formatBytes(limit)})`;
    }
    case 'forbidden':
      return 'You cannot share files in this room.';
    case 'rate_limited':
      return 'Too many messages — wait a moment, then retry.';
    case 'unauthenticated':
      return 'Your session has ended. Sign in again to share files.';
    case 'network':
      return 'Upload failed: the server could not be reached. Check your connection and retry.';
    case 'bad_request':
      return error.message.startsWith('HTTP ')
        ? 'The server refused this file.'
        : `The server refused this file: ${error.message}`;
    default:
      return 'Upload failed on the server. Try again later.';
  }
}
