import { createServer, type Server } from 'node:http';
import { readFile } from 'node:fs/promises';
import path from 'node:path';

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.webmanifest': 'application/manifest+json',
};

export interface StaticHost {
  url: string;
  close(): Promise<void>;
}

/** Any plain web server: files from a directory, index.html for unknown paths. */
export async function hostStatic(root: string, hostname = 'localhost'): Promise<StaticHost> {
  const server: Server = createServer((request, response) => {
    const pathname = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname);
    const file = path.join(root, path.normalize(pathname === '/' ? '/index.html' : pathname));
    const inside = file.startsWith(root + path.sep);
    readFile(inside ? file : path.join(root, 'index.html'))
      .catch(() => readFile(path.join(root, 'index.html')))
      .then(
        (body) => {
          const type = inside && path.extname(file) in types ? types[path.extname(file)] : types['.html'];
          response.writeHead(200, { 'content-type': type ?? 'application/octet-stream' }).end(body);
        },
        () => response.writeHead(500).end(),
      );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://${hostname}:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
