import { Message } from '@pockychat/protocol';
import { ApiError, toApiError } from './api-error.ts';

export interface UploadRequest {
  room: string;
  clientId: string;
  file: Blob;
  name: string;
  onProgress?: (sent: number, total: number) => void;
}

export interface UploadCall {
  /** The stored message, or an ApiError. */
  done: Promise<Message>;
  abort(): void;
}

export interface FilesApi {
  upload(request: UploadRequest): UploadCall;
  /** A file's bytes, fetched with the token: a client on another origin has no cookie to send. */
  download(url: string, signal?: AbortSignal): Promise<Blob>;
  /** A file URL from a message (relative to the API origin) as an absolute URL. */
  resolve(url: string): string;
}

export function createFilesApi(apiOrigin: string, getToken: () => string | null): FilesApi {
  const resolve = (url: string) => new URL(url, apiOrigin || window.location.origin).href;

  return {
    resolve,
    // XMLHttpRequest, not fetch: fetch reports no upload progress.
    upload({ room, clientId, file, name, onProgress }) {
      const xhr = new XMLHttpRequest();
      const query = new URLSearchParams({ clientId, name });
      const done = new Promise<Message>((fulfil, reject) => {
        xhr.open('POST', `${apiOrigin}/rooms/${encodeURIComponent(room)}/files?${query.toString()}`);
        const token = getToken();
        if (token) xhr.setRequestHeader('Authorization', `Bearer ${token}`);
        // The raw body, never multipart or base64: the server streams it straight to disk.
        xhr.setRequestHeader('Content-Type', file.type || 'application/octet-stream');
        xhr.responseType = 'text';
        xhr.upload.onprogress = (event) => onProgress?.(event.loaded, event.lengthComputable ? event.total : file.size);
        xhr.onload = () => {
          const body = parseJson(xhr.responseText);
          if (xhr.status === 200 || xhr.status === 201) {
            // The answer is `{ message }`, the same message the room's `message` frame carries.
            const answer = Message.safeParse(
              typeof body === 'object' && body ? (body as { message?: unknown }).message : undefined,
            );
            if (answer.success) fulfil(answer.data);
            else
              reject(
                new ApiError(xhr.status, 'internal', 'The server sent an answer this client does not understand.'),
              );
          } else {
            reject(toApiError(xhr.status, body));
          }
        };
        xhr.onerror = () => reject(new ApiError(0, 'network', 'network error'));
        xhr.ontimeout = () => reject(new ApiError(0, 'network', 'timed out'));
        xhr.onabort = () => reject(new ApiError(0, 'aborted', 'cancelled'));
        xhr.send(file);
      });
      return { done, abort: () => xhr.abort() };
    },
    async download(url, signal) {
      const headers = new Headers();
      const token = getToken();
      if (token) headers.set('Authorization', `Bearer ${token}`);
      const response = await fetch(resolve(url), { headers, signal });
      if (!response.ok) throw toApiError(response.status, await response.json().catch(() => undefined));
      return response.blob();
    },
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
