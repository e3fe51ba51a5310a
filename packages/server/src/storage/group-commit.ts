interface Pending<I, O> {
  item: I;
  resolve: (value: O) => void;
  reject: (err: unknown) => void;
}

/**
 * Group commit: one transaction (one flush to disk) for many writes, and
 * each caller's promise settles only after that commit. The first write
 * after a quiet spell waits for the end of its event-loop turn; while a
 * commit is under way (its disk flush runs off the event loop), new writes
 * queue up and all go in the next one, so batches grow with the load. If
 * a batch fails, each write is retried alone, so one bad write fails by
 * itself and the others still land.
 */
export class GroupCommit<I, O> {
  readonly #runBatch: (items: I[]) => Promise<O[]>;
  readonly #runOne: (item: I) => Promise<O>;
  #queue: Array<Pending<I, O>> = [];
  #committing: Promise<void> | undefined;
  #scheduled = false;

  constructor(runBatch: (items: I[]) => Promise<O[]>, runOne: (item: I) => Promise<O>) {
    this.#runBatch = runBatch;
    this.#runOne = runOne;
  }

  submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.#queue.push({ item, resolve, reject });
      if (!this.#committing && !this.#scheduled) {
        this.#scheduled = true;
        setImmediate(() => this.#next());
      }
    });
  }

  /** Resolves once everything submitted so far is committed or failed. */
  async idle(): Promise<void> {
    while (this.#queue.length > 0 || this.#committing || this.#scheduled) {
      await (this.#committing ?? new Promise((resolve) => setImmediate(resolve)));
    }
  }

  /** Commits what is queued, then whatever queued up meanwhile, until nothing is left. */
  #next(): void {
    this.#scheduled = false;
    if (this.#committing || this.#queue.length === 0) return;
    const batch = this.#queue;
    this.#queue = [];
    this.#committing = this.#commit(batch).finally(() => {
      this.#committing = undefined;
      this.#next();
    });
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
