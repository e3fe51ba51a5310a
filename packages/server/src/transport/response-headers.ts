import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import helmet from 'helmet';
import { PROTOCOL_VERSION } from '@pockychat/protocol';

/** Header names and values, set on every response. */
export type HeaderList = ReadonlyArray<readonly [name: string, value: string]>;

/** The header that tells clients which version of the wire protocol this server speaks. */
export const PROTOCOL_HEADER = 'X-Pockychat-Protocol';

const PRIMUS_CLIENT_PATH = '/primus/primus.js';

/**
 * Helmet's headers (HSTS under TLS only) and the protocol version. Every
 * directive here is fixed, so helmet runs once, into a list, and each
 * response gets the list: no middleware run, no CSP rebuilt, per request.
 */
export function responseHeaders(options: { tls: boolean }): HeaderList {
  const middleware = helmet({
    hsts: options.tls ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        mediaSrc: ["'self'", 'blob:'],
        connectSrc: ["'self'", 'ws:', 'wss:'],
        workerSrc: ["'self'", 'blob:'],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
      },
    },
  });
  const headers = new Map<string, string>();
  const recorder = {
    setHeader: (name: string, value: string) => headers.set(name, value),
    removeHeader: (name: string) => headers.delete(name),
  };
  // With fixed directives helmet calls back at once, with no error.
  middleware({} as IncomingMessage, recorder as unknown as ServerResponse, () => undefined);
  headers.set(PROTOCOL_HEADER, String(PROTOCOL_VERSION));
  return Object.freeze([...headers].map(([name, value]) => Object.freeze([name, value] as const)));
}

/**
 * Puts the headers on every response the server writes, before any handler
 * runs: Fastify's routes and Primus's own answers (the client library,
 * refusals) alike, since Primus answers its paths before Fastify sees them.
 * Call it after Primus is attached: Primus moves the 'request' listeners it
 * finds behind its own.
 */
export function hardenEveryResponse(server: Server, headers: HeaderList): void {
  server.prependListener('request', (req: IncomingMessage, res: ServerResponse) => {
    for (const [name, value] of headers) res.setHeader(name, value);
    // The Primus client library is public code that a web client hosted on
    // another origin loads with a <script>: same-origin would block it there.
    if (req.url?.startsWith(PRIMUS_CLIENT_PATH)) res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
  });
}
