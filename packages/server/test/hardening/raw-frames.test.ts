import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { AuthAnswer } from '@pockychat/protocol';
import { ChatClient, guest } from '../helpers/clients.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';
import { waitFor } from '../helpers/wait-for.ts';
import { recordFigures } from './helpers/figures.ts';
import { RawWire, frame, request, text } from './helpers/raw-frames.ts';

const KiB = 1024;

/** Each case: bytes no conforming client sends, and the close code RFC 6455 (and ws) answer them with. */
const violations: Array<{ what: string; bytes: () => Buffer; code: number }> = [
  {
    what: 'an unmasked client frame',
    bytes: () => text('{"type":"join","room":"lobby"}', { mask: false }),
    code: 1002,
  },
  { what: 'RSV1 set without a negotiated extension', bytes: () => text('{}', { rsv: 4 }), code: 1002 },
  { what: 'RSV2 and RSV3 set', bytes: () => text('{}', { rsv: 3 }), code: 1002 },
  { what: 'unknown data opcode 0x3', bytes: () => frame({ opcode: 0x3, payload: 'x' }), code: 1002 },
  { what: 'unknown control opcode 0xB', bytes: () => frame({ opcode: 0xb, payload: 'x' }), code: 1002 },
  {
    what: 'a fragmented ping (control frame without FIN)',
    bytes: () => frame({ opcode: 0x9, fin: false }),
    code: 1002,
  },
  {
    what: 'a ping with 126 bytes of payload',
    bytes: () => frame({ opcode: 0x9, payload: Buffer.alloc(126) }),
    code: 1002,
  },
  { what: 'a continuation with no message started', bytes: () => frame({ opcode: 0x0, payload: '{}' }), code: 1002 },
  {
    what: 'a new text frame inside a fragmented message',
    bytes: () => Buffer.concat([text('{"a":', { fin: false }), text('1}')]),
    code: 1002,
  },
  {
    what: 'invalid UTF-8 in a text frame',
    bytes: () => text(Buffer.from([0x7b, 0x22, 0xc3, 0x28, 0x22, 0x7d])),
    code: 1007,
  },
  {
    what: 'an overlong UTF-8 NUL (0xC0 0x80) in a text frame',
    bytes: () => text(Buffer.from([0x22, 0xc0, 0x80, 0x22])),
    code: 1007,
  },
  {
    what: 'a UTF-16 surrogate encoded in UTF-8 (CESU) in a text frame',
    bytes: () => text(Buffer.from([0x22, 0xed, 0xa0, 0x80, 0x22])),
    code: 1007,
  },
  {
    what: 'a declared length of 2^63',
    bytes: () => frame({ opcode: 0x1, declaredLength: 2n ** 63n, payload: 'x' }),
    code: 1009,
  },
  {
    what: 'a declared length of 2^64 - 1',
    bytes: () => frame({ opcode: 0x1, declaredLength: 2n ** 64n - 1n, payload: 'x' }),
    code: 1009,
  },
  {
    what: 'a frame over the 64 KiB limit (declared, not sent)',
    bytes: () => frame({ opcode: 0x1, declaredLength: BigInt(65 * KiB), payload: 'x' }),
    code: 1009,
  },
  {
    what: '100 fragments of 1 KiB (over 64 KiB in all)',
    bytes: () =>
      Buffer.concat([
        text('x', { fin: false }),
        ...Array.from({ length: 100 }, () => frame({ opcode: 0x0, fin: false, payload: Buffer.alloc(KiB, 0x78) })),
      ]),
    code: 1009,
  },
  {
    // ws stops counting at 16,384 fragments of one message (policy violation), however small they are.
    what: '70,000 one-byte fragments',
    bytes: () =>
      Buffer.concat([
        text('x', { fin: false }),
        ...Array.from({ length: 70_000 }, () => frame({ opcode: 0x0, fin: false, payload: 'x' })),
      ]),
    code: 1008,
  },
  {
    what: 'a close frame with a reserved code (999)',
    bytes: () => frame({ opcode: 0x8, payload: Buffer.from([0x03, 0xe7]) }),
    code: 1002,
  },
  {
    what: 'a close frame with invalid UTF-8 in its reason',
    bytes: () => frame({ opcode: 0x8, payload: Buffer.from([0x03, 0xe8, 0xff, 0xfe]) }),
    code: 1007,
  },
];

describe('hardening: raw WebSocket frames over TCP, after a real handshake', () => {
  let server: TestServer;
  let attacker: AuthAnswer;
  let bystander: ChatClient;
  let listener: ChatClient;
  let tried = 0;
  let checks = 0;
  const started = Date.now();

  before(async () => {
    server = await startTestServer({ env: { RATE_LIMIT_MESSAGES: '1000' } });
    attacker = await guest(server.url, 'Mallory');
    const [bob, cat] = await Promise.all([guest(server.url, 'Bob'), guest(server.url, 'Cat')]);
    bystander = await ChatClient.connect(server.url, bob.token);
    listener = await ChatClient.connect(server.url, cat.token);
    await bystander.join('lobby');
    await listener.join('lobby');
  });
  after(async () => {
    recordFigures({
      scenario: 'raw-websocket-frames',
      title: 'Hand-built WebSocket frames and upgrades over node:net',
      badInputs: tried,
      serverUp: (await fetch(`${server.url}/healthz`)).ok && !bystander.closed && !listener.closed,
      durationMs: Date.now() - started,
      details: { 'bystander round trips after attacks': checks },
    });
    bystander.close();
    listener.close();
    await server.close();
  });

  /** The bystander sends and another client receives it: the server is up and serving. */
  async function bystanderStillServed(): Promise<void> {
    const clientId = `bystander-${++checks}`;
    bystander.send({ type: 'send', room: 'lobby', clientId, text: clientId });
    await bystander.next('ack', (f) => f.clientId === clientId);
    await listener.next('message', (f) => f.message.text === clientId);
  }

  test('the handshake helper works: a well-formed frame is answered', async () => {
    const wire = await RawWire.open(server.url, attacker.token);
    wire.write(text('{"type":"join","room":"lobby"}'));
    await waitFor(() => wire.frames.find((f) => f.type === 'joined'));
    // And a masked, well-formed close is answered with the same code.
    wire.write(frame({ opcode: 0x8, payload: Buffer.from([0x03, 0xe8]) }));
    assert.equal((await wire.closed()).code, 1000);
    wire.destroy();
  });

  for (const { what, bytes, code } of violations) {
    test(`${what}: closed with ${code}, and nobody else notices`, async () => {
      const wire = await RawWire.open(server.url, attacker.token);
      tried++;
      wire.write(bytes());
      const { code: got } = await wire.closed();
      assert.equal(got, code, what);
      assert.equal(wire.frames.length, 0, 'nothing of it was parsed and answered');
      await waitFor(() => wire.ended, { what: 'the TCP connection to end' });
      await bystanderStillServed();
    });
  }

  test('a message in 1,000 fragments is reassembled and answered', async () => {
    const wire = await RawWire.open(server.url, attacker.token);
    const json = '{"type":"join","room":"lobby"}'.padEnd(1000, ' ');
    wire.write(text(json.slice(0, 1), { fin: false }));
    for (let i = 1; i < 999; i++) wire.write(frame({ opcode: 0x0, fin: false, payload: json.slice(i, i + 1) }));
    wire.write(frame({ opcode: 0x0, payload: json.slice(999) }));
    await waitFor(() => wire.frames.find((f) => f.type === 'joined'));
    wire.destroy();
  });

  test('a flood of 50,000 empty fragments is cut (1008) at 16,384; the server stays responsive meanwhile', async () => {
    const wire = await RawWire.open(server.url, attacker.token);
    tried++;
    const empty = frame({ opcode: 0x0, fin: false });
    wire.write(text('{"type":"join",', { fin: false }));
    const chunk = Buffer.concat(Array.from({ length: 1000 }, () => empty));
    const floodStart = Date.now();
    let slowest = 0;
    for (let i = 0; i < 50 && !wire.ended; i++) {
      wire.write(chunk);
      if (i % 5 === 0) {
        const t = Date.now();
        await bystanderStillServed();
        slowest = Math.max(slowest, Date.now() - t);
      }
    }
    assert.equal((await wire.closed()).code, 1008);
    assert.equal(wire.frames.length, 0);
    assert.ok(slowest < 1000, `a bystander round trip took ${slowest} ms during the flood`);
    recordFigures({
      scenario: 'raw-fragment-flood',
      title: '50,000 empty continuation frames in one message',
      badInputs: 1,
      serverUp: (await fetch(`${server.url}/healthz`)).ok,
      durationMs: Date.now() - floodStart,
      details: { 'slowest bystander round trip (ms)': slowest },
    });
  });

  test('an upgrade with 5,000 headers, or one 100 KiB header, is refused with 431 before any upgrade', async () => {
    const { hostname, port } = new URL(server.url);
    const heads = [
      Array.from({ length: 5000 }, (_, i) => `X-H${i}: v`).join('\r\n'),
      `Cookie: pocky_session=${'a'.repeat(100 * KiB)}`,
    ];
    for (const extra of heads) {
      tried++;
      const socket = connect(Number(port), hostname);
      await new Promise((resolve) => socket.once('connect', resolve));
      const answer = await request(
        socket,
        [
          `GET /primus?access_token=${attacker.token} HTTP/1.1`,
          `Host: ${hostname}:${port}`,
          'Upgrade: websocket',
          'Connection: Upgrade',
          'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
          'Sec-WebSocket-Version: 13',
          extra,
          '',
          '',
        ].join('\r\n'),
      ).catch(() => ({ status: 'closed' }));
      assert.match(answer.status, /^HTTP\/1\.1 431|^closed$/, answer.status);
      assert.doesNotMatch(answer.status, /101/);
      socket.destroy();
      await bystanderStillServed();
    }
  });

  test('a bad handshake (no key, wrong version, POST) is refused with a 4xx, never upgraded', async () => {
    const { hostname, port } = new URL(server.url);
    const variants = [
      ['GET', 'Sec-WebSocket-Version: 13'],
      ['GET', 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 7'],
      ['POST', 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13'],
    ] as const;
    for (const [method, extra] of variants) {
      tried++;
      const socket = connect(Number(port), hostname);
      await new Promise((resolve) => socket.once('connect', resolve));
      const answer = await request(
        socket,
        `${method} /primus?access_token=${attacker.token} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n${extra}\r\nContent-Length: 0\r\n\r\n`,
      ).catch(() => ({ status: 'closed' }));
      assert.match(answer.status, /^HTTP\/1\.1 4\d\d|^closed$/, `${method} ${extra}: ${answer.status}`);
      socket.destroy();
    }
    await bystanderStillServed();
  });
});
