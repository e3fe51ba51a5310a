type Callback<T> = ((err: null, value: T) => void) | undefined;

function later<T>(fn: Callback<T>, value: T): void {
  if (fn) process.nextTick(fn, null, value);
}

/**
 * primus-rooms' adapter (its extension point for where room membership is
 * kept), over Maps and Sets: no wildcard matching, no prototype keys (a room
 * named `constructor` is just a room). A room keeps its members' objects
 * (`M`, found by spark id when a spark joins) beside their ids, so the
 * fan-out walks them directly, with no lookup per recipient.
 */
export class RoomIndex<M> {
  readonly #memberOf: (id: string) => M | undefined;
  readonly #rooms = new Map<string, Map<string, M>>();
  readonly #sparks = new Map<string, Set<string>>();

  constructor(memberOf: (id: string) => M | undefined) {
    this.#memberOf = memberOf;
  }

  /** The members subscribed to a room. */
  members(room: string): Iterable<M> | undefined {
    return this.#rooms.get(room)?.values();
  }

  /** How many are subscribed to a room. */
  size(room: string): number {
    return this.#rooms.get(room)?.size ?? 0;
  }

  add(id: string, room: string, fn?: Callback<undefined>): void {
    const member = this.#memberOf(id);
    if (member !== undefined) {
      let members = this.#rooms.get(room);
      if (!members) this.#rooms.set(room, (members = new Map<string, M>()));
      members.set(id, member);
      setOf(this.#sparks, id).add(room);
    }
    later(fn, undefined);
  }

  get(id: string | null, fn?: Callback<string[]>): string[] {
    const rooms = [...(id ? (this.#sparks.get(id) ?? []) : this.#rooms.keys())];
    later(fn, rooms);
    return rooms;
  }

  /** Removes a spark from a room, or from every room when no room is given. */
  del(id: string, room: string | null, fn?: Callback<undefined>): void {
    for (const name of room ? [room] : [...(this.#sparks.get(id) ?? [])]) {
      const members = this.#rooms.get(name);
      if (members?.delete(id) && members.size === 0) this.#rooms.delete(name);
      removeFrom(this.#sparks, id, name);
    }
    later(fn, undefined);
  }

  clients(room: string, fn?: Callback<string[]>): string[] {
    const ids = [...(this.#rooms.get(room)?.keys() ?? [])];
    later(fn, ids);
    return ids;
  }

  broadcast(
    data: unknown[],
    opts: { rooms?: string[]; except?: string[]; method?: string },
    clients: Record<string, Record<string, (...args: unknown[]) => unknown>>,
  ): void {
    const method = opts.method ?? 'write';
    const sent = new Set<string>(opts.except);
    for (const room of opts.rooms ?? [...this.#rooms.keys()]) {
      for (const id of this.#rooms.get(room)?.keys() ?? []) {
        if (sent.has(id)) continue;
        sent.add(id);
        clients[id]?.[method]?.(...data);
      }
    }
  }

  empty(rooms: string[], fn?: Callback<undefined>): void {
    for (const room of rooms) for (const id of [...(this.#rooms.get(room)?.keys() ?? [])]) this.del(id, room);
    later(fn, undefined);
  }

  clear(fn?: Callback<undefined>): void {
    this.#rooms.clear();
    this.#sparks.clear();
    later(fn, undefined);
  }

  isEmpty(room: string, fn?: Callback<boolean>): boolean {
    const empty = !this.#rooms.has(room);
    later(fn, empty);
    return empty;
  }
}

function setOf(map: Map<string, Set<string>>, key: string): Set<string> {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  return set;
}

function removeFrom(map: Map<string, Set<string>>, key: string, value: string): void {
  const set = map.get(key);
  if (!set) return;
  set.delete(value);
  if (set.size === 0) map.delete(key);
}
