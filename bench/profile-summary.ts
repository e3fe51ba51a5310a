import { readFileSync } from 'node:fs';

/**
 * Self time per function (name + url + line) from a V8 .cpuprofile, as
 * written by `node --cpu-prof`: each sample's time goes to the node on top of
 * the stack. Usage: node bench/profile-summary.ts <file.cpuprofile> [top]
 */

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface FunctionTime {
  name: string;
  where: string;
  selfMs: number;
  percent: number;
}

export interface ProfileSummary {
  totalMs: number;
  /** Time not idle, not GC, not "(program)": JavaScript and the native code it calls. */
  busyMs: number;
  functions: FunctionTime[];
  /** Self time grouped by package or by server directory. */
  modules: Array<{ module: string; selfMs: number; percent: number }>;
}

function shortUrl(url: string): string {
  if (!url) return '';
  const nm = url.lastIndexOf('/node_modules/');
  if (nm >= 0) return url.slice(nm + '/node_modules/'.length);
  const pk = url.indexOf('/packages/');
  if (pk >= 0) return url.slice(pk + 1);
  return url.replace(/^file:\/\//, '');
}

function moduleOf(url: string): string {
  const short = shortUrl(url);
  if (!url) return '(native / VM)';
  if (url.startsWith('node:')) return 'node core';
  const nm = url.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const parts = short.split('/');
    return parts[0]?.startsWith('@') ? `${parts[0]}/${parts[1]}` : (parts[0] as string);
  }
  const parts = short.split('/');
  return parts.slice(0, Math.min(parts.length - 1, 4)).join('/');
}

export function summarizeProfile(profile: CpuProfile): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  // The harness's own profiler calls (Profiler.stop serialising the profile), and all they call, are not the server's work.
  const harness = new Set<number>();
  const mark = (id: number) => {
    harness.add(id);
    for (const child of byId.get(id)?.children ?? []) mark(child);
  };
  for (const node of profile.nodes) if (node.callFrame.url === 'node:inspector' && !harness.has(node.id)) mark(node.id);
  const selfUs = new Map<number, number>();
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i] as number;
    selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
  const perFunction = new Map<string, { name: string; where: string; us: number; url: string }>();
  let total = 0;
  let idle = 0;
  for (const [id, us] of selfUs) {
    const node = byId.get(id);
    if (!node) continue;
    total += us;
    const { functionName, url, lineNumber } = node.callFrame;
    const name = functionName || '(anonymous)';
    if (name === '(idle)' || harness.has(id)) {
      idle += us;
      continue;
    }
    const where = url ? `${shortUrl(url)}:${lineNumber + 1}` : '';
    const key = `${name}|${where}`;
    const entry = perFunction.get(key) ?? { name, where, us: 0, url };
    entry.us += us;
    perFunction.set(key, entry);
  }
  const busy = total - idle;
  const functions = [...perFunction.values()]
    .sort((a, b) => b.us - a.us)
    .map((e) => ({ name: e.name, where: e.where, selfMs: e.us / 1000, percent: (100 * e.us) / busy }));
  const modules = new Map<string, number>();
  for (const e of perFunction.values()) {
    const m = e.name.startsWith('(') ? e.name : moduleOf(e.url);
    modules.set(m, (modules.get(m) ?? 0) + e.us);
  }
  return {
    totalMs: total / 1000,
    busyMs: busy / 1000,
    functions,
    modules: [...modules.entries()]
      .sort((a, b) => b[1] - a[1])
      .map(([module, us]) => ({ module, selfMs: us / 1000, percent: (100 * us) / busy })),
  };
}

export function renderProfile(summary: ProfileSummary, top: number): string {
  const lines = [
    `Sampled ${(summary.totalMs / 1000).toFixed(1)} s, of which busy ${(summary.busyMs / 1000).toFixed(1)} s (percentages are of the busy time; idle and the harness's profiler calls left out).`,
    '',
    '| # | self % | self ms | function | where |',
    '|---|---|---|---|---|',
    ...summary.functions
      .slice(0, top)
      .map((fn, i) => `| ${i + 1} | ${fn.percent.toFixed(1)} | ${fn.selfMs.toFixed(0)} | ${fn.name} | ${fn.where} |`),
    '',
    '| module | self % |',
    '|---|---|',
    ...summary.modules.slice(0, 15).map((m) => `| ${m.module} | ${m.percent.toFixed(1)} |`),
  ];
  return lines.join('\n');
}

if (process.argv[1] === import.meta.filename) {
  const file = process.argv[2];
  if (!file) throw new Error('usage: node bench/profile-summary.ts <file.cpuprofile> [top]');
  const summary = summarizeProfile(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile);
  process.stdout.write(`${renderProfile(summary, Number(process.argv[3] ?? 15))}\n`);
}
