import type { Compilable, CompiledQuery, QueryResult } from 'kysely';

/** What runs a compiled query: a Kysely instance or a transaction. */
export interface QueryRunner {
  executeQuery<R>(query: CompiledQuery<R>): Promise<QueryResult<R>>;
}

/** A value bound in a placeholder's place. */
export type Bindable = string | number | null;

/**
 * A query built and compiled once, then run with new values: on a page of
 * history or a message's insert, Kysely's builder and compiler cost more than
 * the SQL itself. `build` gets a placeholder for each key (each must become a
 * bound parameter, not part of the SQL text); `execute` takes the values in
 * the keys' order and puts them in their places.
 */
export class PreparedQuery<K extends string, R> {
  readonly #compiled: CompiledQuery<R>;
  /** For each parameter of the compiled query, the index of the value it takes, or -1 for a constant. */
  readonly #slots: number[];

  constructor(keys: readonly K[], build: (placeholders: Record<K, Bindable>) => Compilable<R>) {
    const placeholders = new Map<unknown, number>(keys.map((key, i) => [{ placeholder: key }, i]));
    const byKey = Object.fromEntries([...placeholders].map(([p, i]) => [keys[i], p])) as Record<K, Bindable>;
    this.#compiled = build(byKey).compile();
    this.#slots = this.#compiled.parameters.map((value) => placeholders.get(value) ?? -1);
    const bound = new Set(this.#slots);
    const missing = keys.filter((_key, i) => !bound.has(i));
    if (missing.length > 0) throw new Error(`prepared query: ${missing.join(', ')} not bound as parameters`);
  }

  execute(db: QueryRunner, values: readonly Bindable[]): Promise<QueryResult<R>> {
    const parameters = this.#compiled.parameters.map((value, i) => {
      const slot = this.#slots[i] as number;
      return slot < 0 ? value : values[slot];
    });
    return db.executeQuery<R>({ ...this.#compiled, parameters });
  }

  async run(db: QueryRunner, values: readonly Bindable[]): Promise<R[]> {
    return (await this.execute(db, values)).rows;
  }
}

/**
 * Prepared queries by shape (a kind and a limit, a number of rows), made on
 * first use. Few shapes are in use at once; past `max` they are all dropped,
 * as the statement cache beneath drops its statements.
 */
export class PreparedCache<S extends string | number, Q> {
  readonly #make: (shape: S) => Q;
  readonly #max: number;
  readonly #cache = new Map<S, Q>();

  constructor(max: number, make: (shape: S) => Q) {
    this.#max = max;
    this.#make = make;
  }

  get(shape: S): Q {
    let query = this.#cache.get(shape);
    if (query === undefined) {
      if (this.#cache.size >= this.#max) this.#cache.clear();
      query = this.#make(shape);
      this.#cache.set(shape, query);
    }
    return query;
  }
}
