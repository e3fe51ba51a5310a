import type { IncomingHttpHeaders } from 'node:http';
import WebSocket from 'ws';

/** Helmet's headers (HSTS aside, which only TLS adds) and the protocol version. */
export const everyResponseHeaders = [
  'content-security-policy',
  'cross-origin-opener-policy',
  'cross-origin-resource-policy',
  'origin-agent-cluster',
  'referrer-policy',
  'x-content-type-options',
  'x-dns-prefetch-control',
  'x-download-options',
  'x-frame-options',
  'x-permitted-cross-domain-policies',
  'x-xss-protection',
  'x-pockychat-protocol',
];

/** The status and headers of a refused Primus upgrade (ws or, with `ca`, wss). */
export function refusedUpgrade(
  url: string,
  options: WebSocket.ClientOptions = {},
): Promise<{ status: number; headers: IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/primus`, options);
    ws.once('open', () => reject(new Error('the upgrade was accepted')));
    ws.once('unexpected-response', (_req, res) => {
      res.resume();
      ws.terminate();
      resolve({ status: res.statusCode ?? 0, headers: res.headers });
    });
    ws.once('error', reject);
  });
}
