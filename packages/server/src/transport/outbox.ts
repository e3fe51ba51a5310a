import type { Socket } from 'node:net';
import type WebSocket from 'ws';

/**
 * A server-to-client WebSocket text frame (unmasked, unfragmented), built
 * once: a broadcast is framed once and the same bytes go to every
 * recipient, as the fastest bare `ws` servers do.
 */
export function textFrame(json: string): Buffer {
  const length = Buffer.byteLength(json);
  const head = length < 126 ? 2 : length < 65536 ? 4 : 10;
  const frame = Buffer.allocUnsafe(head + length);
  frame[0] = 0x81; // FIN + text
  if (length < 126) {
    frame[1] = length;
  } else if (length < 65536) {
    frame[1] = 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 127;
    frame.writeUInt32BE(0, 2);
    frame.writeUInt32BE(length, 6);
  }
  frame.write(json, head, 'utf8');
  return frame;
}

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
export class Outbox {
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

/**
 * The TCP (or TLS) socket under a ws WebSocket. ws has no public way to
 * write bytes that are already a frame; writing them to its socket keeps
 * ws's `bufferedAmount` right (it reads the socket's queue length), and
 * nothing else writes there out of order: compression is off, so ws's own
 * sender never queues.
 */
export function rawSocketOf(ws: WebSocket): Socket | undefined {
  return (ws as unknown as { _socket?: Socket })._socket;
}
