import { STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { HeaderList } from '../response-headers.ts';

/** Why a request under /primus is turned away. */
export interface Refusal {
  statusCode: number;
  message: string;
}

/**
 * Primus middleware in the place of its `authorization` layer: the same
 * check, on plain requests and upgrades under /primus, but the refusal is
 * written here. Primus writes an upgrade's refusal on the bare socket, so
 * it would carry none of the headers every other response carries.
 */
export function upgradeGate(
  check: (req: IncomingMessage) => Promise<Refusal | undefined>,
  headers: HeaderList,
): (req: IncomingMessage, res: ServerResponse | Duplex, next: () => void) => void {
  return function authorization(req, res, next) {
    void check(req).then(
      (refusal) => (refusal ? refuse(res, refusal, headers) : next()),
      () => refuse(res, { statusCode: 500, message: 'internal' }, headers),
    );
  };
}

/** Primus's refusal body (`{"error": message}`), with the server's headers on an upgrade too. */
function refuse(res: ServerResponse | Duplex, refusal: Refusal, headers: HeaderList): void {
  const body = JSON.stringify({ error: refusal.message });
  const length = Buffer.byteLength(body);
  if ('setHeader' in res) {
    // A plain request: the server's headers are on it already (see hardenEveryResponse).
    res.statusCode = refusal.statusCode;
    res.setHeader('Content-Type', 'application/json');
    res.setHeader('Content-Length', length);
    res.end(body);
    return;
  }
  let head = `HTTP/1.1 ${refusal.statusCode} ${STATUS_CODES[refusal.statusCode] ?? ''}\r\n`;
  head += `Connection: close\r\nContent-Type: application/json\r\nContent-Length: ${length}\r\n`;
  for (const [name, value] of headers) head += `${name}: ${value}\r\n`;
  res.end(`${head}\r\n${body}`);
}
