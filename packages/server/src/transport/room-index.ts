type Callback<T> = ((err: null, value: T) => void) | undefined;

function later<T>(fn: Callback<T>, value: T): void {
  if (fn) process.nextTick(fn, null, value);
}

/**
 * primus-rooms' adapter (its extension point for where room membership is
 * kept), over Maps and Sets: no wildcard matching, no prototype keys (a room
 * named `constructor` is just a room), and a room's members are a Set the
 * fan-out iterates directly.
 */
export class RoomIndex {
  readonly #rooms = new Map<string, Set<string>>();
  readonly #sparks = new Map<string, Set<string>>();

  /** The spark ids subscribed to a room. */
  members(room: string): ReadonlySet<string> | undefined {
    return this.#rooms.get(room);
  }

  add(id: string, room: string, fn?: Callback<undefined>): void {
    setOf(this.#rooms, room).add(id);
    setOf(this.#sparks, id).add(room);
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
      removeFrom(this.#rooms, name, id);
      removeFrom(this.#sparks, id, name);
    }
    later(fn, undefined);
  }

  clients(room: string, fn?: Callback<string[]>): string[] {
    const ids = [...(this.#rooms.get(room) ?? [])];
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
      for (const id of this.#rooms.get(room) ?? []) {
        if (sent.has(id)) continue;
        sent.add(id);
        clients[id]?.[method]?.(...data);
      }
    }
  }

  empty(rooms: string[], fn?: Callback<undefined>): void {
    for (const room of rooms) for (const id of [...(this.#rooms.get(room) ?? [])]) this.del(id, room);
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
