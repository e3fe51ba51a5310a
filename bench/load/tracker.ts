import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Samples } from '../stats.ts';
import type { BenchClient, Receiver } from './client.ts';

/** What one measured phase has seen so far. */
export interface PhaseRecord {
  first: number;
  latency: Samples;
  ackLatency: Samples;
  expected: number;
  delivered: number;
  acked: number;
  duplicates: number;
  lastEvent: number;
}

/**
 * Numbers every bench message, remembers when and by whom it was sent and
 * how many deliveries it should have, and counts what arrives: send-to-
 * receive and send-to-ack latency, delivery ratio, duplicates.
 */
export class Tracker implements Receiver {
  readonly capacity: number;
  readonly nonce = randomBytes(6).toString('hex');
  readonly sendTime: Float64Array;
  readonly sender: Int32Array;
  /** Free for the driver: which closed-loop slot sent the message. */
  readonly tag: Int32Array;
  readonly expected: Uint16Array;
  readonly got: Uint16Array;
  next = 0;
  /** Over the tracker's whole life: what is owed and what came. */
  totalExpected = 0;
  totalDelivered = 0;
  totalAcked = 0;
  phase: PhaseRecord | undefined;
  errors = 0;
  closes = 0;
  readonly errorSamples: string[] = [];
  onEcho: ((n: number) => void) | undefined;
  onAck: ((n: number, client: BenchClient) => void) | undefined;

  constructor(capacity = 2_000_000) {
    this.capacity = capacity;
    this.sendTime = new Float64Array(capacity);
    this.sender = new Int32Array(capacity);
    this.tag = new Int32Array(capacity);
    this.expected = new Uint16Array(capacity);
    this.got = new Uint16Array(capacity);
  }

  /** A new message number, sent now (or scheduled at `at`, for an open loop) by client `from`. */
  allocate(from: number, recipients: number, at = performance.now()): number {
    const n = this.next++;
    if (n >= this.capacity) throw new Error('tracker capacity exceeded: raise it or shorten the phases');
    this.sendTime[n] = at;
    this.sender[n] = from;
    this.expected[n] = recipients;
    this.totalExpected += recipients;
    if (this.phase) this.phase.expected += recipients;
    return n;
  }

  beginPhase(): PhaseRecord {
    this.phase = {
      first: this.next,
      latency: new Samples(),
      ackLatency: new Samples(),
      expected: 0,
      delivered: 0,
      acked: 0,
      duplicates: 0,
      lastEvent: performance.now(),
    };
    return this.phase;
  }

  message(n: number, client: BenchClient): void {
    if (n < 0 || n >= this.next) return;
    const now = performance.now();
    const got = (this.got[n] as number) + 1;
    this.got[n] = got;
    if (got <= (this.expected[n] as number)) this.totalDelivered++;
    const phase = this.phase;
    if (phase && n >= phase.first) {
      if (got > (this.expected[n] as number)) phase.duplicates++;
      else {
        phase.delivered++;
        phase.latency.add(now - (this.sendTime[n] as number));
      }
      phase.lastEvent = now;
    }
    if (client.index === this.sender[n]) this.onEcho?.(n);
  }

  ack(n: number, client: BenchClient): void {
    if (n < 0 || n >= this.next) return;
    const now = performance.now();
    this.totalAcked++;
    const phase = this.phase;
    if (phase && n >= phase.first) {
      phase.acked++;
      phase.ackLatency.add(now - (this.sendTime[n] as number));
      phase.lastEvent = now;
    }
    this.onAck?.(n, client);
  }

  /** Waits until everything sent so far was delivered and acked, or `timeoutMs` passed; false on a time-out. */
  async settle(timeoutMs: number): Promise<boolean> {
    const end = performance.now() + timeoutMs;
    const done = () => this.totalDelivered >= this.totalExpected && this.totalAcked >= this.next;
    while (!done() && performance.now() < end) await new Promise((resolve) => setTimeout(resolve, 5));
    return done();
  }

  error(_client: BenchClient, what: string): void {
    if (what.startsWith('closed')) this.closes++;
    else this.errors++;
    if (this.errorSamples.length < 5) this.errorSamples.push(what);
  }
}
