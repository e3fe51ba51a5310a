import type { FastifyInstance } from 'fastify';
import fastifyCors from '@fastify/cors';
import fastifyRateLimit from '@fastify/rate-limit';
import { ChatError } from '../chat/chat-error.ts';
import { isAllowedOrigin } from './origin.ts';

export interface SecurityOptions {
  allowedOrigins: readonly string[];
  /** HTTP requests a minute per client address (HTTP_RATE_LIMIT); sign-in routes have their own. */
  httpRateLimit: number;
}

/**
 * CORS for the allowed origins, the per-address rate limit, and the refusal
 * of state-changing calls from foreign pages. The response headers (CSP,
 * HSTS, ...) are set on the server itself: see response-headers.ts.
 */
export async function registerSecurity(http: FastifyInstance, options: SecurityOptions): Promise<void> {
  const { allowedOrigins } = options;
  await http.register(fastifyCors, {
    origin: (origin, cb) => cb(null, origin !== undefined && allowedOrigins.includes(origin)),
    credentials: true,
    // @fastify/cors allows GET, HEAD and POST by default: a client on another origin also
    // revokes links, leaves rooms and removes members (DELETE).
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'DELETE'],
  });
  await http.register(fastifyRateLimit, {
    max: options.httpRateLimit,
    timeWindow: '1 minute',
    errorResponseBuilder: () => new ChatError('rate_limited', 'too many requests; wait a moment'),
  });
  // Cookies ride along on cross-site requests: a state-changing call from a
  // foreign page is refused here (SameSite=Lax covers the rest).
  http.addHook('onRequest', async (request) => {
    if (request.method === 'GET' || request.method === 'HEAD' || request.method === 'OPTIONS') return;
    if (!isAllowedOrigin(request.headers.origin, request.headers.host, allowedOrigins)) {
      throw new ChatError('forbidden', 'origin not allowed');
    }
  });
}
