import type { BenchClient } from './client.ts';
import { stringAfter } from './client.ts';
import { Tracker } from './tracker.ts';

// pockychat writes a Message with its id first: the id follows these bytes in an ack and in an updated.
const ACKED_ID = Buffer.from('"message":{"id":"');
const UPDATED_ID = Buffer.from('{"type":"updated","message":{"id":"');
const RECENT = 64;
const OWN_RECENT = 8;

/**
 * The fan-out tracker, plus what edits and reactions need: the ids of the
 * messages acked lately (by author, and the room's), the reaction each
 * client has in place, and which message has a change in flight. A change is
 * a bench number like a message; its `updated` frames are matched to it by
 * the message id they carry (one change in flight per message, until all
 * its deliveries came, so the match is never ambiguous), and its `ok` counts
 * as its ack.
 */
export class ConversationTracker extends Tracker {
  readonly #own = new Map<number, string[]>();
  readonly #recent: string[] = [];
  /** By reactor's client index: the reaction it has in place. */
  readonly #reacted = new Map<number, { id: string; emoji: string }>();
  /** By message id: the bench number of the change in flight on it. */
  readonly #busy = new Map<string, number>();

  override ack(n: number, client: BenchClient, frame?: Buffer): void {
    super.ack(n, client);
    const id = frame && stringAfter(frame, ACKED_ID);
    if (id === undefined) return;
    const own = this.#own.get(client.index) ?? [];
    this.#own.set(client.index, own);
    bounded(own, id, OWN_RECENT);
    bounded(this.#recent, id, RECENT);
  }

  updated(frame: Buffer, client: BenchClient): void {
    const id = stringAfter(frame, UPDATED_ID);
    const n = id === undefined ? undefined : this.#busy.get(id);
    if (id === undefined || n === undefined) return;
    this.message(n, client);
    if ((this.got[n] as number) >= (this.expected[n] as number)) this.#busy.delete(id);
  }

  ok(n: number, client: BenchClient): void {
    this.ack(n, client);
  }

  /** The most recent message of `author` with no change in flight. */
  freeOwn(author: number): string | undefined {
    return newestFree(this.#own.get(author) ?? [], this.#busy);
  }

  /** The room's most recent message with no change in flight. */
  freeRecent(): string | undefined {
    return newestFree(this.#recent, this.#busy);
  }

  /** Marks change n as in flight on message `id`. */
  begin(id: string, n: number): void {
    this.#busy.set(id, n);
  }

  busy(id: string): boolean {
    return this.#busy.has(id);
  }

  /** The reaction `reactor` has in place, if any. */
  reactionOf(reactor: number): { id: string; emoji: string } | undefined {
    return this.#reacted.get(reactor);
  }

  setReaction(reactor: number, reaction: { id: string; emoji: string } | undefined): void {
    if (reaction) this.#reacted.set(reactor, reaction);
    else this.#reacted.delete(reactor);
  }
}

/** Appends, dropping the oldest beyond `max`. */
function bounded(list: string[], id: string, max: number): void {
  list.push(id);
  if (list.length > max) list.shift();
}

function newestFree(list: string[], busy: Map<string, number>): string | undefined {
  for (let i = list.length - 1; i >= 0; i--) if (!busy.has(list[i] as string)) return list[i];
  return undefined;
}
