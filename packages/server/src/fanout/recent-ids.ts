/**
 * The ids seen lately, for dropping a delivery that comes twice (an outbox
 * row published by its slow node and by a sweeper, a backlog replayed after
 * a Redis outage). Two generations of a Set: the older is dropped when the
 * newer is `maxAgeMs` old or holds `maxPerGeneration` ids, so an id is
 * remembered for at least that long or that many ids, and memory stays bounded.
 */
export class RecentIds {
  readonly #maxAgeMs: number;
  readonly #maxPerGeneration: number;
  #current = new Set<string>();
  #previous = new Set<string>();
  #startedAt = Date.now();

  constructor(options: { maxAgeMs: number; maxPerGeneration: number }) {
    this.#maxAgeMs = options.maxAgeMs;
    this.#maxPerGeneration = options.maxPerGeneration;
  }

  /** Records the id; false if it was already there. */
  add(id: string): boolean {
    if (this.#current.has(id) || this.#previous.has(id)) return false;
    if (this.#current.size >= this.#maxPerGeneration || Date.now() - this.#startedAt >= this.#maxAgeMs) {
      this.#previous = this.#current;
      this.#current = new Set();
      this.#startedAt = Date.now();
    }
    this.#current.add(id);
    return true;
  }
}
