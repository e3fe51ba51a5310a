import type { HistoryResult } from './load/history.ts';
import type { SearchResult } from './load/search.ts';
import type { IdleResult } from './load/idle.ts';
import type { OperationMix, PhaseResult } from './load/measure.ts';
import type { SlowReaderResult } from './load/slow-reader.ts';
import { median } from './stats.ts';

export interface BenchResults {
  machine: { cpu: string; cores: number; node: string; pinned: boolean; openFiles: string };
  config: unknown;
  phases: PhaseResult[];
  idle: IdleResult[];
  history: HistoryResult[];
  /** Absent in results from before the search scenario. */
  search?: SearchResult[];
  slowReader: SlowReaderResult[];
  ratios: Ratio[];
  conversation: ConversationRatio[];
  targets: Target[];
  seconds: number;
}

export interface Ratio {
  scenario: string;
  phase: string;
  metric: string;
  round: number;
  vsWs: number;
  vsSocketIo: number;
}

/** The conversation scenario, one round: server CPU per delivery with edits and reactions mixed in, against plain messages. */
export interface ConversationRatio {
  round: number;
  plainCpuUsPerDelivery: number;
  mixedCpuUsPerDelivery: number;
  /** mixed ÷ plain. */
  ratio: number;
  /** pockychat's fan-out at the same open-loop rate in the same round, when that scenario ran: plain should stay near it. */
  fanoutCpuUsPerDelivery: number;
  mix: OperationMix | undefined;
}

export interface Target {
  id: number;
  what: string;
  value: string;
  /** 'reported': a figure with no threshold. */
  met: boolean | 'reported' | undefined;
}

const f = (v: number | undefined, digits = 1) => (v === undefined || !Number.isFinite(v) ? '–' : v.toFixed(digits));
const k = (v: number) => (Number.isFinite(v) ? (v >= 10_000 ? `${(v / 1000).toFixed(1)}k` : v.toFixed(0)) : '–');

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] as number)).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}

/** pockychat / ws and pockychat / Socket.IO, within each round, for the metrics the targets name. */
export function ratios(phases: PhaseResult[]): Ratio[] {
  const out: Ratio[] = [];
  const metrics: Array<[string, (p: PhaseResult) => number]> = [
    ['CPU µs/delivery', (p) => p.cpuUsPerDelivery],
    ['CPU µs/acked msg', (p) => p.cpuUsPerAck],
    ['deliveries/s', (p) => p.deliveriesPerS],
    ['acked msg/s', (p) => p.acked / p.durationS],
    ['p99 latency', (p) => p.latencyMs.p99],
  ];
  for (const pocky of phases.filter((p) => p.server === 'pockychat')) {
    const same = (server: string) =>
      phases.find(
        (p) =>
          p.server === server && p.scenario === pocky.scenario && p.phase === pocky.phase && p.round === pocky.round,
      );
    const ws = same('ws');
    const sio = same('socketio');
    if (!ws || !sio) continue;
    for (const [metric, of] of metrics) {
      out.push({
        scenario: pocky.scenario,
        phase: pocky.phase,
        metric,
        round: pocky.round,
        vsWs: of(pocky) / of(ws),
        vsSocketIo: of(pocky) / of(sio),
      });
    }
  }
  return out;
}

/** Per round of the conversation scenario: mixed ÷ plain CPU per delivery, and fan-out's figure at the same rate beside. */
export function conversationRatios(phases: PhaseResult[]): ConversationRatio[] {
  const out: ConversationRatio[] = [];
  const conversation = phases.filter((p) => p.scenario === 'conversation');
  for (const plain of conversation.filter((p) => p.phase.endsWith(' plain'))) {
    const mixed = conversation.find((p) => p.round === plain.round && p.phase.endsWith(' mixed'));
    if (!mixed) continue;
    const rate = plain.phase.split(' ')[1];
    const fanout = phases.find(
      (p) =>
        p.scenario === 'fanout' &&
        p.server === 'pockychat' &&
        p.round === plain.round &&
        p.phase === `open ${rate} msg/s`,
    );
    out.push({
      round: plain.round,
      plainCpuUsPerDelivery: plain.cpuUsPerDelivery,
      mixedCpuUsPerDelivery: mixed.cpuUsPerDelivery,
      ratio: mixed.cpuUsPerDelivery / plain.cpuUsPerDelivery,
      fanoutCpuUsPerDelivery: fanout?.cpuUsPerDelivery ?? NaN,
      mix: mixed.mix,
    });
  }
  return out;
}

const ratioOf = (
  rs: Ratio[],
  scenario: string,
  phase: (p: string) => boolean,
  metric: string,
  vs: 'vsWs' | 'vsSocketIo',
) => median(rs.filter((r) => r.scenario === scenario && phase(r.phase) && r.metric === metric).map((r) => r[vs]));

export function targets(r: Omit<BenchResults, 'targets' | 'seconds'>, openRate: number): Target[] {
  const rs = r.ratios;
  const atRate = (p: string) => p.startsWith(`open ${openRate} `);
  const cpuWs = ratioOf(rs, 'fanout', atRate, 'CPU µs/delivery', 'vsWs');
  const cpuSio = ratioOf(rs, 'fanout', atRate, 'CPU µs/delivery', 'vsSocketIo');
  const closedWs = ratioOf(rs, 'fanout', (p) => p.startsWith('closed'), 'deliveries/s', 'vsWs');
  const pocky = (scenario: string, phase: (p: string) => boolean) =>
    r.phases.filter((p) => p.server === 'pockychat' && p.scenario === scenario && phase(p.phase));
  // Ingest's headline: on 2 cores the closed loop's msg/s is the load generator's; the server's CPU per ack is its own.
  const ingestClosed = (p: string) => p.startsWith('closed');
  const ingestCpuWs = ratioOf(rs, 'ingest', ingestClosed, 'CPU µs/acked msg', 'vsWs');
  const ingestCpu = median(pocky('ingest', ingestClosed).map((p) => p.cpuUsPerAck));
  const ingestMax = median(pocky('ingest', (p) => p.startsWith('closed')).map((p) => p.acked / p.durationS));
  const ingestOpen = pocky('ingest', (p) => p.startsWith('open'));
  const ingestP99 = median(ingestOpen.map((p) => p.ackLatencyMs.p99));
  const ingestOpenRate = median(ingestOpen.map((p) => p.messagesPerS));
  const idle = median(r.idle.filter((i) => i.server === 'pockychat').map((i) => i.rssPerConnectionKB));
  const hist = r.history[0];
  const histP99 = hist ? Math.max(hist.since.p99, hist.before.p99) : NaN;
  const multi = (server: string) =>
    median(
      r.phases
        .filter((p) => p.scenario === 'multinode small rooms' && p.server.startsWith(server))
        .map((p) => p.acked / p.durationS),
    );
  const multiRatio = multi('pockychat 2 nodes') / multi('pockychat 1 node');
  const slow = r.slowReader[0];
  const conv = r.conversation;
  const convRatio = median(conv.map((c) => c.ratio));
  const convPlain = median(conv.map((c) => c.plainCpuUsPerDelivery));
  const convMixed = median(conv.map((c) => c.mixedCpuUsPerDelivery));
  const fanoutCpu = median(conv.map((c) => c.fanoutCpuUsPerDelivery));
  const known = (v: number, ok: boolean) => (Number.isFinite(v) ? ok : undefined);
  return [
    {
      id: 1,
      what: `fan-out CPU per delivery, open loop ${openRate} msg/s: ≤ 1.2× ws and < Socket.IO`,
      value: `${f(cpuWs, 2)}× ws, ${f(cpuSio, 2)}× Socket.IO`,
      met: known(cpuWs + cpuSio, cpuWs <= 1.2 && cpuSio < 1),
    },
    {
      id: 2,
      what: 'closed-loop fan-out throughput ≥ 0.85× ws',
      value: `${f(closedWs, 2)}× ws`,
      met: known(closedWs, closedWs >= 0.85),
    },
    {
      id: 3,
      what: 'ingest on SQLite: server CPU per acked message against ws (closed loop); ack p99 < 20 ms at half capacity',
      value: `${f(ingestCpuWs, 2)}× ws (${f(ingestCpu, 1)} µs/ack); ${k(ingestMax)} acked msg/s; ack p99 ${f(ingestP99)} ms at ${k(ingestOpenRate)} msg/s`,
      met: known(ingestP99, ingestP99 < 20),
    },
    {
      id: 4,
      what: 'idle memory per authenticated connection ≤ 12 KB RSS',
      value: `${f(idle)} KB`,
      met: known(idle, idle <= 12),
    },
    {
      id: 5,
      what: `history p99 < 5 ms on ${hist ? hist.messages.toLocaleString('en') : '?'} messages`,
      value: hist ? `since p99 ${f(hist.since.p99, 2)} ms, before p99 ${f(hist.before.p99, 2)} ms` : '–',
      met: known(histP99, histP99 < 5),
    },
    {
      id: 6,
      what: 'two nodes over Redis: small-room capacity ≥ 0.9× one node',
      value: `${f(multiRatio, 2)}×`,
      met: known(multiRatio, multiRatio >= 0.9),
    },
    {
      id: 7,
      what: 'a slow reader never grows server memory without bound',
      value: slow
        ? slow.cutOff
          ? `cut off after ${f(slow.cutOffAfterS)} s (${f(slow.owedMB)} MB owed); RSS ${f(slow.rssStartMB, 0)} → peak ${f(slow.rssPeakMB, 0)} MB`
          : `not cut off within the run; RSS ${f(slow.rssStartMB, 0)} → peak ${f(slow.rssPeakMB, 0)} MB`
        : '–',
      met: slow ? slow.cutOff : undefined,
    },
    {
      id: 8,
      what: `conversation (pockychat), open loop ${openRate} ops/s: CPU per delivery with 1 in 4 edits and 1 in 4 reactions, ÷ plain messages in the same round; plain near fan-out's`,
      value:
        conv.length > 0
          ? `${f(convRatio, 2)}× (mixed ${f(convMixed, 2)} µs, plain ${f(convPlain, 2)} µs; fan-out ${f(fanoutCpu, 2)} µs)`
          : '–',
      met: conv.length > 0 ? 'reported' : undefined,
    },
    ...(r.search ?? []).map((s) => ({
      id: 9,
      what: `search p99 < 50 ms on ${s.messages.toLocaleString('en')} messages (${s.database}, the whole query mix)`,
      value: `p50 ${f(s.all.p50, 2)} ms, p99 ${f(s.all.p99, 2)} ms, worst query's p99 ${f(Math.max(...s.queries.map((q) => q.latency.p99)), 2)} ms`,
      met: known(s.all.p99, s.all.p99 < 50 && s.errors === 0),
    })),
  ];
}

export function render(r: BenchResults): string {
  const parts: string[] = [];
  parts.push(
    `Machine: ${r.machine.cpu}, ${r.machine.cores} cores, Node ${r.machine.node}; servers pinned: ${r.machine.pinned ? 'yes (taskset: server core 0, load generator core 1)' : 'no (taskset missing)'}; open files: ${r.machine.openFiles}; ${f(r.seconds, 0)} s`,
  );
  if (r.phases.length > 0) {
    parts.push(
      '\n## Load phases (latency: send → receive, ms; CPU: server user+system)\n\n' +
        table(
          [
            'scenario',
            'phase',
            'server',
            'rd',
            'msg/s',
            'deliv/s',
            'p50',
            'p99',
            'p999',
            'ack p99',
            'deliv %',
            'CPU µs/deliv',
            'core0 µs/deliv',
            'srv CPU',
            'srv ELU',
            'RSS MB',
            'gen ELU',
            'notes',
          ],
          r.phases.map((p) => [
            p.scenario,
            p.phase,
            p.server,
            String(p.round),
            k(p.messagesPerS),
            k(p.deliveriesPerS),
            f(p.latencyMs.p50, 2),
            f(p.latencyMs.p99, 2),
            f(p.latencyMs.p999, 2),
            f(p.ackLatencyMs.p99, 2),
            f(p.deliveryRatio * 100, 2),
            f(p.cpuUsPerDelivery, 2) +
              (p.infraCpuUsPerDelivery === undefined ? '' : ` (+${f(p.infraCpuUsPerDelivery, 2)} pg/redis)`),
            f(p.coreUsPerDelivery, 2),
            `${f(p.serverCpu * 100, 0)}%`,
            `${f(p.serverElu * 100, 0)}%`,
            f(p.serverRssMB, 0),
            `${f(p.loadElu * 100, 0)}%`,
            p.warnings.join('; '),
          ]),
        ),
    );
  }
  if (r.ratios.length > 0) {
    parts.push(
      '\n## Ratios within each round (pockychat ÷ baseline)\n\n' +
        table(
          ['scenario', 'phase', 'metric', 'round', 'pocky/ws', 'pocky/Socket.IO'],
          r.ratios.map((x) => [x.scenario, x.phase, x.metric, String(x.round), f(x.vsWs, 2), f(x.vsSocketIo, 2)]),
        ),
    );
  }
  if (r.conversation.length > 0) {
    parts.push(
      '\n## Conversation (pockychat; server CPU per delivery, µs: edits and reactions mixed in ÷ plain messages, same round)\n\n' +
        table(
          [
            'round',
            'plain',
            'mixed',
            'mixed ÷ plain',
            'fan-out, same rate',
            'mixed phase: send / edit / react / unreact (fallback)',
          ],
          r.conversation.map((c) => [
            String(c.round),
            f(c.plainCpuUsPerDelivery, 2),
            f(c.mixedCpuUsPerDelivery, 2),
            f(c.ratio, 2),
            f(c.fanoutCpuUsPerDelivery, 2),
            c.mix ? `${c.mix.send} / ${c.mix.edit} / ${c.mix.react} / ${c.mix.unreact} (${c.mix.fallback})` : '–',
          ]),
        ),
    );
  }
  if (r.idle.length > 0) {
    parts.push(
      '\n## Idle connections (memory after a full GC)\n\n' +
        table(
          [
            'server',
            'rd',
            'connections',
            'connect/s',
            'RSS KB/conn',
            'heap KB/conn',
            'RSS before → after MB',
            'closed by server',
          ],
          r.idle.map((i) => [
            i.server,
            String(i.round),
            String(i.connections),
            k(i.connectPerS),
            f(i.rssPerConnectionKB, 2),
            f(i.heapPerConnectionKB, 2),
            `${f(i.rssBeforeMB, 0)} → ${f(i.rssAfterMB, 0)}`,
            String(i.closedByServer),
          ]),
        ),
    );
  }
  for (const h of r.history) {
    parts.push(
      `\n## History (pockychat, one room of ${h.messages.toLocaleString('en')} messages, built in ${f(h.buildSeconds)} s; pages of 100, ${h.queries} queries)\n\n` +
        table(
          ['query', 'p50 ms', 'p99 ms', 'p999 ms'],
          [
            ['since=<random seq>', f(h.since.p50, 2), f(h.since.p99, 2), f(h.since.p999, 2)],
            ['before=<random seq>', f(h.before.p50, 2), f(h.before.p99, 2), f(h.before.p999, 2)],
          ],
        ) +
        `\n\nServer CPU ${f(h.cpuUsPerQuery, 0)} µs/query, RSS ${f(h.serverRssMB, 0)} MB, ${h.errors} wrong answers.`,
    );
  }
  for (const s of r.search ?? []) {
    const database = s.database === 'sqlite' ? 'SQLite, FTS5 trigram' : 'PostgreSQL, pg_trgm GIN';
    const index =
      s.indexSeconds === undefined ? 'indexed as loaded' : `trigram index built at start in ${f(s.indexSeconds)} s`;
    parts.push(
      `\n## Search (pockychat on ${database}: ${s.messages.toLocaleString('en')} messages in 100 rooms, 60 readable; loaded in ${f(s.buildSeconds)} s, ${index}; ${s.all.count} queries, limit 20)\n\n` +
        table(
          ['query', 'q', 'found', 'p50 ms', 'p99 ms', 'p999 ms'],
          [
            ...s.queries.map((q) => [
              q.name,
              q.q,
              f(q.found, 1),
              f(q.latency.p50, 2),
              f(q.latency.p99, 2),
              f(q.latency.p999, 2),
            ]),
            ['all', '', '', f(s.all.p50, 2), f(s.all.p99, 2), f(s.all.p999, 2)],
          ],
        ) +
        `\n\nServer CPU ${f(s.cpuUsPerQuery, 0)} µs/query, RSS ${f(s.serverRssMB, 0)} MB; on disk ${f(s.diskMB, 0)} MB, of which the search index ${f(s.indexMB, 0)} MB; ${s.errors} wrong answers.` +
        (s.pendingTail
          ? ` With ${s.pendingTail.pending.toLocaleString('en')} more messages pending (not indexed yet, the most a busy server leaves), the same mix in process: p50 ${f(s.pendingTail.all.p50, 2)} ms, p99 ${f(s.pendingTail.all.p99, 2)} ms.`
          : ''),
    );
  }
  for (const s of r.slowReader) {
    parts.push(
      `\n## Slow reader (pockychat)\n\nOne client of ${s.fastClients + 1} stops reading; the others send ${s.messageBytes}-byte frames in a closed loop. ` +
        (s.cutOff
          ? `The server cut it off after ${f(s.cutOffAfterS)} s, having been owed ${f(s.owedMB)} MB.`
          : `It was not cut off within the run (${f(s.owedMB)} MB owed).`) +
        ` Server RSS ${f(s.rssStartMB, 0)} → peak ${f(s.rssPeakMB, 0)} MB; the other clients got ${f(s.fastDeliveryRatio * 100, 2)}% of their messages.`,
    );
  }
  if (r.targets.length > 0) {
    parts.push(
      '\n## Targets (ratios are medians over rounds)\n\n' +
        table(
          ['#', 'target', 'measured', 'met'],
          r.targets.map((t) => [
            String(t.id),
            t.what,
            t.value,
            t.met === undefined ? 'not measured' : t.met === 'reported' ? 'reported' : t.met ? 'yes' : 'NO',
          ]),
        ),
    );
  }
  return parts.join('\n') + '\n';
}
