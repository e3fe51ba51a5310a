interface Pending<I, O> {
  item: I;
  resolve: (value: O) => void;
  reject: (err: unknown) => void;
}

/**
 * Group commit: the writes submitted during one event-loop turn are
 * committed together in one transaction (one fsync), and each caller's
 * promise settles only after that commit. If the batch fails, each write is
 * retried alone, so one bad write fails by itself and the others still land.
 */
export class GroupCommit<I, O> {
  readonly #runBatch: (items: I[]) => Promise<O[]>;
  readonly #runOne: (item: I) => Promise<O>;
  #queue: Array<Pending<I, O>> = [];
  #running: Promise<void> = Promise.resolve();

  constructor(runBatch: (items: I[]) => Promise<O[]>, runOne: (item: I) => Promise<O>) {
    this.#runBatch = runBatch;
    this.#runOne = runOne;
  }

  submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      if (this.#queue.push({ item, resolve, reject }) === 1) setImmediate(() => this.#flush());
    });
  }

  /** Resolves once everything submitted so far is committed or failed. */
  async idle(): Promise<void> {
    while (this.#queue.length > 0) await new Promise((resolve) => setImmediate(resolve));
    await this.#running;
  }

  #flush(): void {
    const batch = this.#queue;
    this.#queue = [];
    this.#running = this.#running.then(() => this.#commit(batch));
  }

  async #commit(batch: Array<Pending<I, O>>): Promise<void> {
    try {
      const results = await this.#runBatch(batch.map((p) => p.item));
      batch.forEach((p, i) => p.resolve(results[i] as O));
    } catch {
      for (const p of batch) await this.#runOne(p.item).then(p.resolve, p.reject);
    }
  }
}
