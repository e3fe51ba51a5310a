/** The requests being handled, so that shutdown can let them finish. */
export class InFlight {
  readonly #pending = new Set<Promise<unknown>>();
  #draining = false;

  get draining(): boolean {
    return this.#draining;
  }

  track<T>(work: Promise<T>): Promise<T> {
    this.#pending.add(work);
    const forget = () => this.#pending.delete(work);
    work.then(forget, forget);
    return work;
  }

  /** Refuses new work from now on and resolves once the work under way is done (or the time is up). */
  async drain(timeoutMs: number): Promise<void> {
    this.#draining = true;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<'timeout'>((resolve) => (timer = setTimeout(resolve, timeoutMs, 'timeout')));
    // Work that finishes may have started more (a join's subscribe): loop until none is left.
    while (this.#pending.size > 0) {
      if ((await Promise.race([Promise.allSettled([...this.#pending]), deadline])) === 'timeout') break;
    }
    clearTimeout(timer);
  }
}
