import { benchNumber, benchText, numberAfter, Waiter, type BenchClient, type Receiver } from './client.ts';
import { RawWebSocket } from './raw-websocket.ts';

// Frames are JSON objects that start `{"type":"<type>"`: byte 9 is the type's first letter.
const TYPE_AT = 9;
const M = 'm'.charCodeAt(0);
const A = 'a'.charCodeAt(0);
const J = 'j'.charCodeAt(0);
const E = 'e'.charCodeAt(0);
const U = 'u'.charCodeAt(0);
const O = 'o'.charCodeAt(0);
const OK_ID = Buffer.from('"id":"o');

/**
 * The JSON-frame protocol of pockychat and of the bare `ws` baseline, which
 * speaks the same frames. Primus adds only its heartbeat strings, handled by
 * the subclass hook.
 */
export class JsonFrameClient implements BenchClient {
  readonly index: number;
  protected readonly ws: RawWebSocket;
  readonly #receiver: Receiver;
  readonly #waiter = new Waiter();
  readonly #nonce: string;

  protected constructor(ws: RawWebSocket, index: number, receiver: Receiver) {
    this.ws = ws;
    this.index = index;
    this.#receiver = receiver;
    this.#nonce = receiver.nonce;
    ws.onMessage = (data) => this.#onFrame(data);
    ws.onClose = () => receiver.error(this, 'closed');
  }

  static async connect(url: string, index: number, receiver: Receiver): Promise<JsonFrameClient> {
    return new JsonFrameClient(await RawWebSocket.connect(url), index, receiver);
  }

  get open(): boolean {
    return this.ws.open;
  }

  join(room: string): Promise<void> {
    const joined = this.#waiter.wait((d) => d[TYPE_AT] === J && d.includes(`"room":"${room}"`), `joined ${room}`);
    this.ws.send(`{"type":"join","room":"${room}","visibility":"public"}`);
    return joined;
  }

  send(room: string, n: number): void {
    // clientId is unique per run: pockychat answers a resent clientId with its first ack only.
    this.ws.send(`{"type":"send","room":"${room}","clientId":"${this.#nonce}-${n}","text":"${benchText(n)}"}`);
  }

  edit(room: string, messageId: string, n: number): void {
    this.ws.send(`{"type":"edit","id":"o${n}","room":"${room}","messageId":"${messageId}","text":"${benchText(n)}"}`);
  }

  react(room: string, messageId: string, emoji: string, on: boolean, n: number): void {
    const type = on ? 'react' : 'unreact';
    this.ws.send(`{"type":"${type}","id":"o${n}","room":"${room}","messageId":"${messageId}","emoji":"${emoji}"}`);
  }

  pause(): void {
    this.ws.pause();
  }

  resume(): void {
    this.ws.resume();
  }

  close(): void {
    this.ws.destroy();
  }

  /** Protocol frames that are not JSON objects; true when handled. */
  protected control(_data: Buffer): boolean {
    return false;
  }

  #onFrame(data: Buffer): void {
    const type = data[TYPE_AT];
    if (type === M) this.#receiver.message(benchNumber(data), this);
    else if (type === A) this.#receiver.ack(benchNumber(data), this, data);
    else if (type === U) this.#receiver.updated?.(data, this);
    else if (type === O) this.#receiver.ok?.(numberAfter(data, OK_ID), this);
    else if (this.control(data) || this.#waiter.offer(data)) return;
    else if (type === E) this.#receiver.error(this, data.toString('utf8', 0, 200));
  }
}
