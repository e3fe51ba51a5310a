/**
 * What the scenario drivers need from a connection, whatever the protocol.
 * Every bench message carries its number in its text (`bench:<n>:`), so a
 * receiver finds it with one byte search instead of a JSON parse: the load
 * generator must stay lighter than the servers it measures.
 */
export interface BenchClient {
  readonly index: number;
  join(room: string): Promise<void>;
  send(room: string, n: number): void;
  /** pockychat only (v2): edits message `messageId` to bench message n's text, with request id `o<n>`. */
  edit?(room: string, messageId: string, n: number): void;
  /** pockychat only (v2): adds (or removes) the caller's reaction `emoji`, with request id `o<n>`. */
  react?(room: string, messageId: string, emoji: string, on: boolean, n: number): void;
  /** Stops reading from the TCP socket (a slow reader), or starts again. */
  pause(): void;
  resume(): void;
  readonly open: boolean;
  close(): void;
}

export interface Receiver {
  /** Unique to this receiver: pockychat answers a resent clientId with its first ack only, so ids never repeat. */
  readonly nonce: string;
  /** The broadcast of bench message n reached this client. */
  message(n: number, client: BenchClient): void;
  /** The sender's acknowledgement of bench message n (the whole frame, where the protocol gives one). */
  ack(n: number, client: BenchClient, frame?: Buffer): void;
  /** pockychat only (v2): an `updated` frame. */
  updated?(frame: Buffer, client: BenchClient): void;
  /** pockychat only (v2): the `ok` answering request id `o<n>`. */
  ok?(n: number, client: BenchClient): void;
  /** An error frame, or a connection closed by the server. */
  error(client: BenchClient, what: string): void;
}

export type Protocol = 'ws' | 'primus' | 'socketio';

const MARK = Buffer.from('bench:');
let textLength = 80;

/** The length of every bench message's text (80 characters, a chat message's usual size, unless changed). */
export function setTextLength(length: number): void {
  textLength = length;
}

/** The text of bench message n: its number, padded to the text length. */
export function benchText(n: number): string {
  const head = `bench:${n}:`;
  return head + 'x'.repeat(Math.max(0, textLength - head.length));
}

/** The n of the bench message a frame carries, or -1. */
export function benchNumber(data: Buffer, from = 0): number {
  return numberAfter(data, MARK, from);
}

/** The decimal number that follows the first `mark` in a frame, or -1. */
export function numberAfter(data: Buffer, mark: Buffer, from = 0): number {
  const at = data.indexOf(mark, from);
  if (at < 0) return -1;
  let n = 0;
  for (let i = at + mark.length; i < data.length; i++) {
    const c = data[i] as number;
    if (c < 48 || c > 57) break;
    n = n * 10 + (c - 48);
  }
  return n;
}

/** The JSON string value that follows the first `mark` (which ends with its opening quote), or undefined. */
export function stringAfter(data: Buffer, mark: Buffer): string | undefined {
  const at = data.indexOf(mark);
  if (at < 0) return undefined;
  const end = data.indexOf(0x22, at + mark.length);
  return end < 0 ? undefined : data.toString('latin1', at + mark.length, end);
}

/** Waits for one frame satisfying a condition, registered before the request that causes it is sent. */
export class Waiter {
  #pending: { test: (data: Buffer) => boolean; resolve: () => void } | undefined;

  wait(test: (data: Buffer) => boolean, what: string, timeoutMs = 30_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), timeoutMs);
      this.#pending = {
        test,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      };
    });
  }

  /** True when the frame was the one awaited. */
  offer(data: Buffer): boolean {
    const pending = this.#pending;
    if (!pending || !pending.test(data)) return false;
    this.#pending = undefined;
    pending.resolve();
    return true;
  }
}
