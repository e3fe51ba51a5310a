import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Where each scenario leaves its figures; report.ts turns them into the table of docs/reliability.md. */
export const figuresDir = path.resolve(import.meta.dirname, '../../../test-results/reliability');

export interface Figures {
  /** The file name, and the row's key. */
  scenario: string;
  /** One line for the table: what was done. */
  title: string;
  /** Messages acknowledged to their sender. */
  acked?: number;
  /** Acked messages missing from a fresh history: must be 0. */
  lost?: number;
  /** Messages stored (or shown) more than once: must be 0. */
  doubled?: number;
  /** Hostile inputs tried (frames, requests, payloads, uploads). */
  badInputs?: number;
  /** Every server process answered /healthz at the end, and a bystander still sent and received. */
  serverUp: boolean;
  durationMs: number;
  /** Anything else worth a number: faults injected, reconnects, connections opened... */
  details?: Record<string, number | string | boolean>;
}

export function recordFigures(figures: Figures): void {
  mkdirSync(figuresDir, { recursive: true });
  writeFileSync(path.join(figuresDir, `${figures.scenario}.json`), `${JSON.stringify(figures, null, 2)}\n`);
}

/** mulberry32: a tiny seeded PRNG, so a failing fault run can be replayed with the same seed. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An integer in [min, max]. */
export function between(rng: () => number, min: number, max: number): number {
  return min + Math.floor(rng() * (max - min + 1));
}

export function pick<T>(rng: () => number, items: readonly T[]): T {
  const item = items[Math.floor(rng() * items.length)];
  if (item === undefined) throw new Error('pick from an empty list');
  return item;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
