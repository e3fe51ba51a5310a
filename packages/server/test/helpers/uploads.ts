import { readdirSync } from 'node:fs';
import { request } from 'node:http';
import path from 'node:path';
import type { Readable } from 'node:stream';

export interface Answer {
  status: number;
  headers: Headers;
  body: any;
}

export interface UploadOptions {
  clientId: string;
  name?: string;
  text?: string;
  /** The claimed type: the Content-Type of a raw upload. */
  type?: string;
}

export function uploadPath(room: string, options: UploadOptions): string {
  const query = new URLSearchParams({ clientId: options.clientId });
  if (options.name !== undefined) query.set('name', options.name);
  if (options.text !== undefined) query.set('text', options.text);
  return `/rooms/${encodeURIComponent(room)}/files?${query.toString()}`;
}

/** A raw-body upload with fetch: the bytes as the body, the claimed type as Content-Type. */
export async function upload(
  url: string,
  token: string | undefined,
  room: string,
  bytes: Buffer | string,
  options: UploadOptions,
): Promise<Answer> {
  const headers = new Headers({ 'content-type': options.type ?? 'application/octet-stream' });
  if (token) headers.set('authorization', `Bearer ${token}`);
  const response = await fetch(`${url}${uploadPath(room, options)}`, { method: 'POST', headers, body: bytes });
  return answerOf(response);
}

/** A multipart/form-data upload with fetch's own encoder. */
export async function uploadForm(url: string, token: string, room: string, form: FormData, clientId: string) {
  const response = await fetch(`${url}${uploadPath(room, { clientId })}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
    body: form,
  });
  return answerOf(response);
}

export async function download(
  url: string,
  token: string | undefined,
  fileUrl: string,
  headers: Record<string, string> = {},
) {
  const response = await fetch(`${url}${fileUrl}`, {
    headers: { ...headers, ...(token && { authorization: `Bearer ${token}` }) },
  });
  return { status: response.status, headers: response.headers, bytes: Buffer.from(await response.arrayBuffer()) };
}

async function answerOf(response: Response): Promise<Answer> {
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
}

/**
 * Streams `source` as a request body with node:http (chunked unless a
 * content-length header is given). Resolves with the answer as soon as one
 * arrives, even while the body is still being sent: a server may answer (413)
 * and close before reading everything, and the failed writes after that are
 * expected. Rejects only when no answer came.
 */
export function streamRequest(
  url: string,
  pathname: string,
  source: Readable,
  headers: Record<string, string | number>,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = request(`${url}${pathname}`, { method: 'POST', headers }, (res) => {
      answered = true;
      source.unpipe(req);
      source.destroy();
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => {
        const answerHeaders = new Headers();
        for (const [k, v] of Object.entries(res.headers)) if (typeof v === 'string') answerHeaders.set(k, v);
        resolve({ status: res.statusCode ?? 0, headers: answerHeaders, body: text ? JSON.parse(text) : undefined });
      });
      res.on('error', reject);
      res.on('close', () => {
        if (!res.complete) reject(new Error('the answer was cut short'));
      });
    });
    req.on('error', (err) => {
      if (!answered) reject(err);
    });
    source.on('error', (err) => req.destroy(err));
    source.pipe(req);
  });
}

/** What the disk blob store holds: every entry under DATA_DIR/uploads, .part files included. */
export function uploadsOf(dataDir: string): string[] {
  try {
    return readdirSync(path.join(dataDir, 'uploads'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}
