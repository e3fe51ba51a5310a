import { Socket } from 'node:net';
import type Primus from 'primus';
import type { WebSocket } from 'ws';
import type { Clock } from '../../chat/clock.ts';
import type { Flushable, TurnFlusher } from './turn-flusher.ts';

/*
 * The one file that reaches into ws's and Primus's private parts: ws's
 * `_socket` (frames built once are written there) and the upgrade request
 * Primus keeps for a spark's life (emptied). test/frame-writer.test.ts
 * asserts every such part, so an upgrade of either library that moves one
 * fails there, and at the first connection, rather than silently.
 */

const SLOW_READER_GRACE_MS = 2000;
const OPEN = 1; // WebSocket.OPEN

export interface FrameWriterOptions {
  turn: TurnFlusher;
  /** More than this waiting for a while (or eight times this at once) and the reader is cut off. */
  maxBufferedBytes: number;
  clock: Clock;
  /** Told once, when the reader is cut off (what was queued is dropped): it ends the connection. */
  onSlowReader: (buffered: number) => void;
}

/**
 * One connection's outgoing frames: queued during a turn, written to the
 * TCP/TLS socket in one go when the turn ends (see TurnFlusher), and
 * refused to a client that has stopped reading.
 */
export class FrameWriter implements Flushable {
  // The WebSocket and the socket under it, read once: a spark's properties
  // are slow to look up, and these are read for every frame.
  readonly #ws: WebSocket;
  readonly #raw: Socket;
  readonly #turn: TurnFlusher;
  readonly #maxBufferedBytes: number;
  readonly #clock: Clock;
  readonly #onSlowReader: (buffered: number) => void;
  #overCapSince: number | undefined;
  /** Frames of this turn not yet written; most turns have one. */
  #queued: Buffer | Buffer[] | undefined;
  #queuedBytes = 0;

  constructor(ws: WebSocket, options: FrameWriterOptions) {
    this.#ws = ws;
    this.#raw = rawSocketOf(ws);
    this.#turn = options.turn;
    this.#maxBufferedBytes = options.maxBufferedBytes;
    this.#clock = options.clock;
    this.#onSlowReader = options.onSlowReader;
  }

  /** The writer of a Primus spark of the websockets transformer. */
  static forSpark(spark: Primus.Spark, options: FrameWriterOptions): FrameWriter {
    const ws = spark.socket;
    if (!ws) throw new Error('the spark has no WebSocket: is Primus still on the websockets transformer?');
    return new FrameWriter(ws, options);
  }

  /**
   * What waits to be sent: ws's `bufferedAmount` (its own queue stays
   * empty, compression being off, so it is its socket's) plus what this
   * turn queued and has not written yet.
   */
  get buffered(): number {
    return this.#raw.writableLength + this.#queuedBytes;
  }

  /**
   * Queues a WebSocket frame (see textFrame) for this turn's write, unless
   * the client has stopped reading. A burst may briefly fill anyone's
   * buffer, so the cap must be exceeded for a while (or eight times over)
   * before the client is cut off; it catches up from history when it
   * returns. Either way the server's memory per connection stays bounded.
   */
  send(frame: Buffer): void {
    if (this.#ws.readyState !== OPEN) return;
    const buffered = this.#raw.writableLength + this.#queuedBytes;
    if (buffered > this.#maxBufferedBytes) {
      if (this.#cutOffSlowReader(buffered)) return;
    } else if (this.#overCapSince !== undefined) {
      this.#overCapSince = undefined;
    }
    this.#queuedBytes += frame.length;
    const queued = this.#queued;
    if (queued === undefined) {
      this.#queued = frame;
      this.#turn.schedule(this);
    } else if (Array.isArray(queued)) {
      queued.push(frame);
    } else {
      this.#queued = [queued, frame];
    }
  }

  /** Over the cap: true (and the reader is cut off) once it has lasted or grown too much. */
  #cutOffSlowReader(buffered: number): boolean {
    const now = this.#clock.now();
    this.#overCapSince ??= now;
    if (buffered <= 8 * this.#maxBufferedBytes && now - this.#overCapSince <= SLOW_READER_GRACE_MS) return false;
    // It would not read what is queued either: it catches up from history.
    this.#queued = undefined;
    this.#queuedBytes = 0;
    this.#onSlowReader(buffered);
    return true;
  }

  /** Writes the queued frames in one go. */
  flush(): void {
    const queued = this.#queued;
    if (queued === undefined) return;
    this.#queued = undefined;
    this.#queuedBytes = 0;
    const raw = this.#raw;
    if (this.#ws.readyState !== OPEN || !raw.writable) return;
    raw.write(Array.isArray(queued) ? Buffer.concat(queued) : queued);
  }
}

/**
 * The TCP (or TLS) socket under a ws WebSocket. ws has no public way to
 * write bytes that are already a frame; writing them to its socket keeps
 * ws's `bufferedAmount` right (it reads the socket's queue length), and
 * nothing else writes there out of order: compression is off, so ws's own
 * sender never queues. Throws if ws no longer keeps its socket there.
 */
export function rawSocketOf(ws: WebSocket): Socket {
  const raw = (ws as unknown as { _socket?: unknown })._socket;
  if (!(raw instanceof Socket)) {
    throw new Error("ws's WebSocket keeps no _socket: the pre-framed write path needs updating for this ws");
  }
  return raw;
}

/**
 * Primus keeps the upgrade request for the connection's life: as `request`
 * and `remote`, and in a closure of its websockets transformer. Nothing
 * reads it after the handshake but `spark.address`, from its socket, so the
 * spark gets a stand-in holding the socket and the request itself is
 * emptied: its stream state, raw headers, URL and parser leftovers are a
 * good part of an idle connection's memory. The socket goes in as
 * `connection` too: that is where Primus's address parser (forwarded-for)
 * reads the port from (given a bare `socket`, it reads the port as 0).
 */
export function releaseRequest(spark: Primus.Spark): void {
  const request = spark.request as unknown as Record<string, unknown>;
  const socket = request.socket;
  const slim = { socket, connection: socket } as unknown as Primus.Spark['request'];
  spark.request = slim;
  spark.remote = slim;
  for (const key of Object.keys(request)) request[key] = undefined;
}
