import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { waitFor } from '../../helpers/wait-for.ts';

export interface FrameOptions {
  fin?: boolean;
  /** The three reserved bits, as a number 0..7 (RSV1 is 4). */
  rsv?: number;
  opcode: number;
  payload?: Buffer | string;
  /** False: an unmasked client frame, which RFC 6455 forbids. */
  mask?: boolean;
  /** A length to declare instead of the payload's own (a lie, or 2^63). */
  declaredLength?: bigint;
}

/** One WebSocket frame built byte by byte, including the ones no library would send. */
export function frame(options: FrameOptions): Buffer {
  const payload = Buffer.isBuffer(options.payload) ? options.payload : Buffer.from(options.payload ?? '');
  const length = options.declaredLength ?? BigInt(payload.length);
  const masked = options.mask ?? true;
  const first = ((options.fin ?? true) ? 0x80 : 0) | ((options.rsv ?? 0) << 4) | options.opcode;
  let header: Buffer;
  if (length < 126n) {
    header = Buffer.from([first, (masked ? 0x80 : 0) | Number(length)]);
  } else if (length < 65536n) {
    header = Buffer.alloc(4);
    header[0] = first;
    header[1] = (masked ? 0x80 : 0) | 126;
    header.writeUInt16BE(Number(length), 2);
  } else {
    header = Buffer.alloc(10);
    header[0] = first;
    header[1] = (masked ? 0x80 : 0) | 127;
    header.writeBigUInt64BE(length, 2);
  }
  if (!masked) return Buffer.concat([header, payload]);
  const key = randomBytes(4);
  const body = Buffer.from(payload);
  for (let i = 0; i < body.length; i++) body[i] = (body[i] as number) ^ (key[i % 4] as number);
  return Buffer.concat([header, key, body]);
}

export const text = (payload: Buffer | string, extra: Omit<FrameOptions, 'opcode' | 'payload'> = {}) =>
  frame({ opcode: 0x1, payload, ...extra });

/**
 * A TCP connection upgraded to WebSocket by hand: a real handshake, then
 * raw bytes both ways. Decodes what the server sends: text frames (JSON
 * objects) and the close frame's code.
 */
export class RawWire {
  readonly socket: Socket;
  readonly frames: Array<Record<string, unknown>> = [];
  closeCode: number | undefined;
  ended = false;
  #buffer = Buffer.alloc(0);

  private constructor(socket: Socket) {
    this.socket = socket;
    socket.on('data', (chunk: Buffer) => this.#read(chunk));
    socket.on('close', () => (this.ended = true));
    socket.on('error', () => (this.ended = true));
  }

  /** Opens /primus with the token; resolves once the server answered 101 Switching Protocols. */
  static async open(url: string, token: string): Promise<RawWire> {
    const { hostname, port } = new URL(url);
    const socket = connect(Number(port), hostname);
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('error', reject);
    });
    const head = await request(
      socket,
      [
        `GET /primus?access_token=${encodeURIComponent(token)} HTTP/1.1`,
        `Host: ${hostname}:${port}`,
        'Upgrade: websocket',
        'Connection: Upgrade',
        `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`,
        'Sec-WebSocket-Version: 13',
        '',
        '',
      ].join('\r\n'),
    );
    if (!head.status.startsWith('HTTP/1.1 101')) throw new Error(`upgrade refused: ${head.status}`);
    const wire = new RawWire(socket);
    if (head.rest.length > 0) wire.#read(head.rest);
    return wire;
  }

  write(bytes: Buffer): void {
    if (!this.socket.destroyed) this.socket.write(bytes);
  }

  /** Resolves once the server closed the WebSocket (a close frame) or the TCP connection. */
  async closed(timeoutMs = 5000): Promise<{ code: number | undefined }> {
    await waitFor(() => this.closeCode !== undefined || this.ended, { timeoutMs, what: 'the server to close' });
    return { code: this.closeCode };
  }

  destroy(): void {
    this.socket.destroy();
  }

  #read(chunk: Buffer): void {
    this.#buffer = Buffer.concat([this.#buffer, chunk]);
    for (;;) {
      const b = this.#buffer;
      if (b.length < 2) return;
      let length = (b[1] as number) & 0x7f;
      let offset = 2;
      if (length === 126) {
        if (b.length < 4) return;
        length = b.readUInt16BE(2);
        offset = 4;
      } else if (length === 127) {
        if (b.length < 10) return;
        length = Number(b.readBigUInt64BE(2));
        offset = 10;
      }
      if (b.length < offset + length) return;
      const opcode = (b[0] as number) & 0x0f;
      const payload = b.subarray(offset, offset + length);
      this.#buffer = b.subarray(offset + length);
      if (opcode === 0x8) this.closeCode = payload.length >= 2 ? payload.readUInt16BE(0) : 1005;
      if (opcode === 0x1) {
        try {
          const value: unknown = JSON.parse(payload.toString('utf8'));
          if (typeof value === 'object' && value !== null) this.frames.push(value as Record<string, unknown>);
        } catch {
          // Primus's own strings (primus::ping::…) are not frames of this protocol.
        }
      }
    }
  }
}

/** Writes a raw HTTP request and reads the answer's status line and whatever bytes follow its head. */
export function request(socket: Socket, raw: string | Buffer): Promise<{ status: string; rest: Buffer }> {
  return new Promise((resolve, reject) => {
    let received = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const end = received.indexOf('\r\n\r\n');
      if (end < 0) return;
      socket.off('data', onData);
      socket.off('close', onClose);
      resolve({
        status: received.subarray(0, received.indexOf('\r\n')).toString(),
        rest: received.subarray(end + 4),
      });
    };
    const onClose = () => {
      socket.off('data', onData);
      const line = received.subarray(0, Math.max(0, received.indexOf('\r\n'))).toString();
      if (line) resolve({ status: line, rest: Buffer.alloc(0) });
      else reject(new Error('closed without an answer'));
    };
    socket.on('data', onData);
    socket.once('close', onClose);
    socket.once('error', onClose);
    socket.write(raw);
  });
}
