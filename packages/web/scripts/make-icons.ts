/**
 * Renders the web app's PNG icons from its SVG logo with Debian's chromium
 * (playwright-core, already installed): 192 and 512 px, plain and
 * maskable (full-bleed background, the glyph inside the 80% safe zone).
 * The PNGs are committed; `npm start` never needs this.
 *
 *   ./node_modules/.bin/node packages/web/scripts/make-icons.ts
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { chromium } from 'playwright-core';

const out = path.resolve(import.meta.dirname, '../public/icons');
const glyph =
  'M9 11.5c0-1.4 1.1-2.5 2.5-2.5h9c1.4 0 2.5 1.1 2.5 2.5v6c0 1.4-1.1 2.5-2.5 2.5H15l-4 3.5V20h.5C10.1 20 9 18.9 9 17.5z';

function svg(size: number, maskable: boolean): string {
  // Maskable: the platform crops to its own shape; the glyph is scaled into the central 80%.
  const inner = maskable
    ? `<g transform="translate(16 16) scale(0.8) translate(-16 -16)"><path d="${glyph}" fill="#fff"/></g>`
    : `<path d="${glyph}" fill="#fff"/>`;
  const background = maskable
    ? '<rect width="32" height="32" fill="#4f46e5"/>'
    : '<rect width="32" height="32" rx="9" fill="#4f46e5"/>';
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32" width="${size}" height="${size}">${background}${inner}</svg>`;
}

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
try {
  const { mkdir } = await import('node:fs/promises');
  await mkdir(out, { recursive: true });
  for (const size of [192, 512]) {
    for (const maskable of [false, true]) {
      const page = await browser.newPage({ viewport: { width: size, height: size } });
      await page.setContent(`<html><body style="margin:0;background:transparent">${svg(size, maskable)}</body></html>`);
      const png = await page.locator('svg').screenshot({ omitBackground: true });
      const name = `icon-${size}${maskable ? '-maskable' : ''}.png`;
      await writeFile(path.join(out, name), png);
      console.log(`wrote ${name} (${png.length} bytes)`);
      await page.close();
    }
  }
} finally {
  await browser.close();
}
