import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

/**
 * The chunks of what index.html loads up front: the libraries in chunks of their own (they change
 * less often than the app, so they keep their hash, and their cache, across releases), and all the
 * rest of the first paint in one (without this group rolldown cuts it into small shared chunks).
 * What the first paint does not need is split off by dynamic imports (src/components/lazy-parts.ts).
 */
const upFrontChunks = [
  { name: 'react', test: /[\\/]node_modules[\\/](react|react-dom|scheduler)[\\/]/, priority: 30 },
  // react-markdown and the remark plugins, with the whole unified/micromark tree they pull in.
  { name: 'markdown', test: /[\\/]node_modules[\\/](react-markdown|remark-gfm|remark-breaks)[\\/]/, priority: 20 },
  { name: 'zod', test: /[\\/]node_modules[\\/]zod[\\/]/, priority: 20 },
  // `$initial`: what the entry reaches by static imports; it holds the entry, so it is the entry chunk.
  { name: 'index', tags: ['$initial' as const], priority: 10 },
];

export default defineConfig({
  plugins: [react()],
  // Relative asset URLs so the built client works from any sub-path of any static host.
  base: './',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    rolldownOptions: { output: { codeSplitting: { groups: upFrontChunks } } },
  },
  server: { port: 5173 },
});
