import { benchNumber, benchText, Waiter, type BenchClient, type Receiver } from './client.ts';
import { RawWebSocket } from './raw-websocket.ts';

const C0 = '0'.charCodeAt(0);
const C2 = '2'.charCodeAt(0);
const C3 = '3'.charCodeAt(0);
const C4 = '4'.charCodeAt(0);
const MARK = Buffer.from('bench:');

/**
 * Socket.IO v5 over Engine.IO v4, spoken directly on a WebSocket: `0{...}`
 * open, `40` connect to the main namespace, `42["event",...]` events (with
 * an ack id: `42<id>[...]`, answered `43<id>[...]`), and the server's `2`
 * ping answered `3`.
 */
export class EngineIoClient implements BenchClient {
  readonly index: number;
  readonly #ws: RawWebSocket;
  readonly #receiver: Receiver;
  readonly #waiter = new Waiter();
  #ackId = 0;

  private constructor(ws: RawWebSocket, index: number, receiver: Receiver) {
    this.#ws = ws;
    this.index = index;
    this.#receiver = receiver;
    ws.onClose = () => receiver.error(this, 'closed');
  }

  static async connect(url: string, index: number, receiver: Receiver): Promise<EngineIoClient> {
    const ws = await RawWebSocket.connect(`${url}/socket.io/?EIO=4&transport=websocket`);
    const client = new EngineIoClient(ws, index, receiver);
    const handshake = client.#waiter.wait((d) => d[0] === C0, 'the Engine.IO open packet');
    // The open packet may have come with the upgrade answer: listening starts only now.
    ws.onMessage = (data) => client.#onFrame(data);
    await handshake;
    const connected = client.#waiter.wait((d) => d[0] === C4 && d[1] === C0, 'the namespace connect');
    ws.send('40');
    await connected;
    return client;
  }

  get open(): boolean {
    return this.#ws.open;
  }

  join(room: string): Promise<void> {
    const joined = this.#waiter.wait((d) => d[0] === C4 && d[1] === C3 && !d.includes(MARK), `joined ${room}`);
    this.#ws.send(`42${this.#nextAck()}["join","${room}"]`);
    return joined;
  }

  send(room: string, n: number): void {
    this.#ws.send(
      `42${this.#nextAck()}["send",{"room":"${room}","clientId":"${this.#receiver.nonce}-${n}","text":"${benchText(n)}"}]`,
    );
  }

  pause(): void {
    this.#ws.pause();
  }

  resume(): void {
    this.#ws.resume();
  }

  close(): void {
    this.#ws.destroy();
  }

  #nextAck(): number {
    this.#ackId = (this.#ackId + 1) % 1_000_000;
    return this.#ackId;
  }

  #onFrame(data: Buffer): void {
    const a = data[0];
    const b = data[1];
    if (a === C4 && b === C2) return this.#receiver.message(benchNumber(data), this);
    if (a === C4 && b === C3) {
      const n = benchNumber(data);
      if (n >= 0) return this.#receiver.ack(n, this);
    }
    if (a === C2 && data.length === 1) return void this.#ws.send('3');
    this.#waiter.offer(data);
  }
}
