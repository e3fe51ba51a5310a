import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { figuresDir, type Figures } from './helpers/figures.ts';

/**
 * Turns the figures the hardening scenarios left in test-results/reliability
 * into the markdown table of docs/reliability.md:
 *   node packages/server/test/hardening/report.ts
 */
function main(): void {
  let files: string[];
  try {
    files = readdirSync(figuresDir).filter((f) => f.endsWith('.json'));
  } catch {
    process.stderr.write(`no figures in ${figuresDir}: run the hardening tests first\n`);
    process.exit(1);
  }
  const rows = files
    .map((f) => JSON.parse(readFileSync(path.join(figuresDir, f), 'utf8')) as Figures)
    .sort((a, b) => a.scenario.localeCompare(b.scenario));
  const cell = (n: number | undefined) => (n === undefined ? '–' : n.toLocaleString('en-US'));
  const lines = [
    '| Scenario | Acked | Lost | Doubled | Bad inputs | Server up | Time | Details |',
    '| --- | ---: | ---: | ---: | ---: | :---: | ---: | --- |',
    ...rows.map((r) =>
      [
        '',
        `**${r.scenario}**: ${r.title}`,
        cell(r.acked),
        cell(r.lost),
        cell(r.doubled),
        cell(r.badInputs),
        r.serverUp ? 'yes' : '**NO**',
        `${(r.durationMs / 1000).toFixed(1)} s`,
        Object.entries(r.details ?? {})
          .map(([k, v]) => `${k}: ${typeof v === 'number' ? v.toLocaleString('en-US') : String(v)}`)
          .join('; ') || '–',
        '',
      ]
        .join(' | ')
        .trim(),
    ),
  ];
  const bad = rows.filter((r) => (r.lost ?? 0) > 0 || (r.doubled ?? 0) > 0 || !r.serverUp);
  process.stdout.write(`${lines.join('\n')}\n`);
  if (bad.length > 0) {
    process.stderr.write(`scenarios failing their figures: ${bad.map((r) => r.scenario).join(', ')}\n`);
    process.exitCode = 1;
  }
}

main();
