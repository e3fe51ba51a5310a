import { connect, type Socket } from 'node:net';

const EMPTY: Buffer = Buffer.alloc(0);
const CRLFCRLF = Buffer.from('\r\n\r\n');
/**
 * Every socket reads into this one buffer (net's `onread`: no stream, no
 * allocation per read). Safe because each chunk is parsed to the end before
 * the next read; whatever must outlive a chunk (a partial frame) is copied.
 */
const SHARED = Buffer.allocUnsafe(512 * 1024);

/**
 * A WebSocket client on a bare TCP socket, as lean as a load generator can
 * make it: the upgrade request written by hand, server frames parsed in place
 * from each read, client frames masked with a zero key (valid, and no XOR
 * pass). Text and binary messages only, no extensions.
 */
export class RawWebSocket {
  #socket: Socket | undefined;
  #upgraded = false;
  #open = false;
  #head: Buffer = EMPTY;
  #pending: Buffer = EMPTY;
  #fragments: Buffer[] = [];
  #onMessage: ((payload: Buffer) => void) | undefined;
  /** Messages that arrived with the upgrade answer, before anyone listened. */
  #early: Buffer[] = [];
  #settle: ((err?: Error) => void) | undefined;
  onClose: () => void = () => undefined;

  set onMessage(handler: (payload: Buffer) => void) {
    this.#onMessage = handler;
    const early = this.#early;
    this.#early = [];
    for (const payload of early) handler(payload);
  }

  /** Connects and upgrades; rejects with the HTTP status if the server refuses. */
  static connect(url: string, timeoutMs = 30_000): Promise<RawWebSocket> {
    const { hostname, port, pathname, search } = new URL(url);
    const ws = new RawWebSocket();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => ws.#settle?.(new Error(`upgrade timed out: ${url}`)), timeoutMs);
      ws.#settle = (err) => {
        ws.#settle = undefined;
        clearTimeout(timer);
        if (err) {
          ws.#socket?.destroy();
          reject(err);
        } else resolve(ws);
      };
      const socket = connect({
        host: hostname,
        port: Number(port),
        noDelay: true,
        onread: {
          buffer: SHARED,
          callback: (n: number, buf: Uint8Array) => {
            ws.#onRead(buf as Buffer, n);
            return true;
          },
        },
      });
      ws.#socket = socket;
      socket.once('error', (err) => ws.#settle?.(err));
      socket.on('close', () => {
        ws.#settle?.(new Error('closed during the upgrade'));
        const wasOpen = ws.#open;
        ws.#open = false;
        if (wasOpen) ws.onClose();
      });
      socket.write(
        `GET ${pathname}${search} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          'Sec-WebSocket-Key: YmVuY2htYXJrLWNsaWVudA==\r\nSec-WebSocket-Version: 13\r\n\r\n',
      );
    });
  }

  get open(): boolean {
    return this.#open;
  }

  /** One masked text frame (zero mask key). */
  send(text: string): void {
    if (!this.#open) return;
    const length = Buffer.byteLength(text);
    const header = length < 126 ? 6 : length < 65536 ? 8 : 14;
    const frame = Buffer.allocUnsafe(header + length);
    frame[0] = 0x81;
    if (length < 126) frame[1] = 0x80 | length;
    else if (length < 65536) {
      frame[1] = 0x80 | 126;
      frame.writeUInt16BE(length, 2);
    } else {
      frame[1] = 0x80 | 127;
      frame.writeUInt32BE(0, 2);
      frame.writeUInt32BE(length, 6);
    }
    frame.writeUInt32BE(0, header - 4);
    frame.write(text, header, 'utf8');
    this.#socket?.write(frame);
  }

  pause(): void {
    this.#socket?.pause();
  }

  resume(): void {
    this.#socket?.resume();
  }

  /** Drops the connection at once (no closing handshake), without calling onClose. */
  destroy(): void {
    this.#open = false;
    this.#socket?.destroy();
  }

  #onRead(shared: Buffer, n: number): void {
    if (this.#upgraded) {
      this.#onData(shared.subarray(0, n));
      return;
    }
    this.#head = Buffer.concat([this.#head, shared.subarray(0, n)]);
    const end = this.#head.indexOf(CRLFCRLF);
    if (end < 0) return;
    const status = Number(this.#head.toString('latin1', 9, 12));
    if (status !== 101) {
      this.#settle?.(new Error(`upgrade refused: ${status}`));
      return;
    }
    this.#upgraded = true;
    this.#open = true;
    const rest = this.#head.subarray(end + 4);
    this.#head = EMPTY;
    this.#settle?.();
    if (rest.length > 0) this.#onData(rest);
  }

  #onData(chunk: Buffer): void {
    const buf = this.#pending.length === 0 ? chunk : Buffer.concat([this.#pending, chunk]);
    let at = 0;
    for (;;) {
      if (buf.length - at < 2) break;
      const b0 = buf[at] as number;
      const b1 = buf[at + 1] as number;
      let length = b1 & 0x7f;
      let header = 2;
      if (length === 126) {
        if (buf.length - at < 4) break;
        length = buf.readUInt16BE(at + 2);
        header = 4;
      } else if (length === 127) {
        if (buf.length - at < 10) break;
        length = buf.readUInt32BE(at + 2) * 2 ** 32 + buf.readUInt32BE(at + 6);
        header = 10;
      }
      if (b1 & 0x80) header += 4; // A server must not mask; skip a key if one did.
      if (buf.length - at < header + length) break;
      const payload = buf.subarray(at + header, at + header + length);
      at += header + length;
      this.#frame(b0, payload);
    }
    // A partial frame outlives this read: copy it out of the shared buffer.
    this.#pending = at === buf.length ? EMPTY : Buffer.from(buf.subarray(at));
  }

  #frame(b0: number, payload: Buffer): void {
    const fin = (b0 & 0x80) !== 0;
    const opcode = b0 & 0x0f;
    if (opcode === 0x9) return this.#pong(payload);
    if (opcode === 0x8) {
      this.#open = false;
      this.#socket?.destroy();
      this.onClose();
      return;
    }
    if (opcode === 0xa) return;
    if (!fin || opcode === 0) {
      this.#fragments.push(Buffer.from(payload));
      if (!fin) return;
      const whole = Buffer.concat(this.#fragments);
      this.#fragments = [];
      return this.#deliver(whole);
    }
    this.#deliver(payload);
  }

  #deliver(payload: Buffer): void {
    if (this.#onMessage) this.#onMessage(payload);
    else this.#early.push(Buffer.from(payload));
  }

  #pong(payload: Buffer): void {
    const frame = Buffer.allocUnsafe(6 + payload.length);
    frame[0] = 0x8a;
    frame[1] = 0x80 | payload.length;
    frame.writeUInt32BE(0, 2);
    payload.copy(frame, 6);
    this.#socket?.write(frame);
  }
}
