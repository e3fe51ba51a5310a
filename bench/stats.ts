/** Latency samples in milliseconds, kept whole and sorted once: exact percentiles, no histogram error. */
export class Samples {
  #values = new Float64Array(1 << 16);
  #count = 0;
  #sorted: Float64Array | undefined;

  add(value: number): void {
    if (this.#count === this.#values.length) {
      const bigger = new Float64Array(this.#values.length * 2);
      bigger.set(this.#values);
      this.#values = bigger;
    }
    this.#values[this.#count++] = value;
    this.#sorted = undefined;
  }

  get count(): number {
    return this.#count;
  }

  /** The value below which a fraction p (0..1) of the samples lie (nearest rank); NaN when empty. */
  percentile(p: number): number {
    if (this.#count === 0) return NaN;
    this.#sorted ??= this.#values.slice(0, this.#count).sort();
    const rank = Math.min(this.#count - 1, Math.max(0, Math.ceil(p * this.#count) - 1));
    return this.#sorted[rank] as number;
  }

  summary(): LatencySummary {
    return { count: this.#count, p50: this.percentile(0.5), p99: this.percentile(0.99), p999: this.percentile(0.999) };
  }
}

export interface LatencySummary {
  count: number;
  p50: number;
  p99: number;
  p999: number;
}

export function median(values: number[]): number {
  const finite = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (finite.length === 0) return NaN;
  const mid = finite.length >> 1;
  return finite.length % 2 === 1
    ? (finite[mid] as number)
    : ((finite[mid - 1] as number) + (finite[mid] as number)) / 2;
}
