import { existsSync } from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { notFoundBody } from './http-errors.ts';

/**
 * Serves the built web client, with index.html for any other GET a browser
 * makes for a page (client-side routes). API paths keep their JSON 404.
 */
export async function registerWebClient(app: FastifyInstance, webDist: string): Promise<void> {
  const hasClient = existsSync(path.join(webDist, 'index.html'));
  if (hasClient) await app.register(fastifyStatic, { root: webDist, wildcard: true, index: 'index.html' });
  app.setNotFoundHandler((request, reply) => {
    const wantsPage = request.method === 'GET' && (request.headers.accept ?? '').includes('text/html');
    if (!wantsPage) return reply.code(404).send(notFoundBody());
    if (hasClient) return reply.type('text/html').sendFile('index.html');
    return reply
      .code(404)
      .type('text/plain')
      .send('The web client is not built: run `npm run build:web` (npm start does it for you).');
  });
}
