/** Something with frames waiting to be written. */
export interface Flushable {
  flush(): void;
}

/**
 * Frames written during one turn of the event loop leave as one write per
 * socket, once the turn's I/O callbacks (incoming frames, a commit's
 * completion, fan-out messages from Redis) and their promise continuations
 * have run: a group commit settles many sends at once, and each recipient
 * then gets its acks and messages in a single system call instead of one
 * per frame. With one frame per turn this is exactly one write, as before.
 */
export class TurnFlusher {
  #dirty: Flushable[] = [];
  readonly #flushAll = (): void => {
    const dirty = this.#dirty;
    this.#dirty = [];
    for (const sink of dirty) sink.flush();
  };

  /** Called once per sink when its first frame of the turn is queued. */
  schedule(sink: Flushable): void {
    // setImmediate runs after the poll phase: everything read in this turn
    // has been handled by then.
    if (this.#dirty.push(sink) === 1) setImmediate(this.#flushAll);
  }
}
