import { readFileSync } from 'node:fs';
import Fastify, { type FastifyInstance } from 'fastify';
import fastifyCookie from '@fastify/cookie';
import type { Logger } from 'pino';
import type { Config } from '../config.ts';
import { registerErrorHandling } from '../transport/http-errors.ts';
import { registerSecurity } from '../transport/security.ts';

/** Fastify with what every route relies on: cookies, CORS and rate limits, contract error codes. */
export async function createHttpServer(config: Config, log: Logger): Promise<FastifyInstance> {
  const http = Fastify({
    loggerInstance: log,
    trustProxy: config.trustProxy,
    bodyLimit: config.maxFrameBytes,
    ...(config.tls && {
      https: { cert: readFileSync(config.tls.cert), key: readFileSync(config.tls.key), minVersion: 'TLSv1.2' as const },
    }),
  }) as unknown as FastifyInstance;
  // Before any route: the rate limit reaches only the routes registered after it (an onRoute hook).
  await http.register(fastifyCookie);
  await registerSecurity(http, { allowedOrigins: config.allowedOrigins, httpRateLimit: config.httpRateLimit });
  registerErrorHandling(http);
  reapIdleConnectionsWhenClosing(http);
  return http;
}

/**
 * Node closes idle keep-alive connections once, when the server stops
 * listening; a response still streaming then (a download, an upload) ends
 * later, and its connection would hold up the close for the keep-alive
 * timeout. Once closing, each response reaps what has gone idle.
 */
function reapIdleConnectionsWhenClosing(http: FastifyInstance): void {
  http.addHook('onResponse', async () => {
    if (!http.server.listening) http.server.closeIdleConnections();
  });
}
