import WebSocket from 'ws';
import type { ServerFrame } from '@pockychat/protocol';
import { waitFor } from './wait-for.ts';

export interface UpgradeOptions {
  token?: string;
  origin?: string;
  cookie?: string;
}

function primusUrl(url: string, token: string | undefined): string {
  const base = `${url.replace(/^http/, 'ws')}/primus`;
  return token === undefined ? base : `${base}?access_token=${encodeURIComponent(token)}`;
}

function headersOf(options: UpgradeOptions): Record<string, string> {
  const headers: Record<string, string> = {};
  if (options.origin !== undefined) headers.origin = options.origin;
  if (options.cookie !== undefined) headers.cookie = options.cookie;
  return headers;
}

/** The HTTP status of a raw Primus upgrade: 101 when accepted, else the refusal's status. */
export function upgradeStatus(url: string, options: UpgradeOptions = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(primusUrl(url, options.token), { headers: headersOf(options) });
    ws.once('open', () => {
      ws.close();
      resolve(101);
    });
    ws.once('unexpected-response', (_req, res) => {
      res.resume();
      ws.terminate();
      resolve(res.statusCode ?? 0);
    });
    ws.once('error', (err) => reject(err));
  });
}

/**
 * A bare `ws` connection to /primus, to send what a Primus client never
 * would (bad JSON, huge frames). Records the decoded frames it receives,
 * skipping Primus's own `primus::` strings.
 */
export class RawSocket {
  readonly ws: WebSocket;
  readonly frames: ServerFrame[] = [];
  #closeCode: number | undefined;

  private constructor(ws: WebSocket) {
    this.ws = ws;
    ws.on('message', (data, isBinary) => {
      if (isBinary) return;
      // binaryType is the default 'nodebuffer': a text message arrives as one Buffer.
      const decoded: unknown = JSON.parse((data as Buffer).toString('utf8'));
      if (typeof decoded === 'object' && decoded !== null) this.frames.push(decoded as ServerFrame);
    });
    ws.once('close', (code) => (this.#closeCode = code));
  }

  static connect(
    url: string,
    token: string | undefined,
    options: Omit<UpgradeOptions, 'token'> = {},
  ): Promise<RawSocket> {
    const ws = new WebSocket(primusUrl(url, token), { headers: headersOf(options) });
    const socket = new RawSocket(ws);
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(socket));
      ws.once('error', reject);
    });
  }

  /** Sends a text frame exactly as given. */
  sendText(text: string): void {
    this.ws.send(text);
  }

  send(frame: unknown): void {
    this.ws.send(JSON.stringify(frame));
  }

  get closeCode(): number | undefined {
    return this.#closeCode;
  }

  get open(): boolean {
    return this.ws.readyState === WebSocket.OPEN;
  }

  next<T extends ServerFrame['type']>(
    type: T,
    match: (frame: Extract<ServerFrame, { type: T }>) => boolean = () => true,
  ): Promise<Extract<ServerFrame, { type: T }>> {
    return waitFor(
      () =>
        this.frames.find(
          (f): f is Extract<ServerFrame, { type: T }> =>
            f.type === type && match(f as Extract<ServerFrame, { type: T }>),
        ),
      { what: `a ${type} frame` },
    );
  }

  of<T extends ServerFrame['type']>(type: T): Array<Extract<ServerFrame, { type: T }>> {
    return this.frames.filter((f): f is Extract<ServerFrame, { type: T }> => f.type === type);
  }

  /** Resolves with the close code once the server has closed the connection. */
  closed(): Promise<number> {
    return waitFor(() => this.#closeCode, { what: 'the connection to close' });
  }

  close(): void {
    this.ws.close();
  }
}
