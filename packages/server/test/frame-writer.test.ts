import assert from 'node:assert/strict';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { Socket } from 'node:net';
import { readFileSync } from 'node:fs';
import { TLSSocket } from 'node:tls';
import { after, before, describe, test } from 'node:test';
import Primus from 'primus';
import WebSocket, { WebSocketServer } from 'ws';
import { FrameWriter, rawSocketOf, releaseRequest } from '../src/transport/realtime/frame-writer.ts';
import { textFrame } from '../src/transport/realtime/text-frame.ts';
import { TurnFlusher } from '../src/transport/realtime/turn-flusher.ts';
import { upgradeGate } from '../src/transport/realtime/upgrade-gate.ts';
import { makeCertificate } from './helpers/certificate.ts';
import { waitFor } from './helpers/wait-for.ts';

/*
 * The frame writer is the one place that relies on ws's and Primus's
 * private parts; these tests pin each of them down, so that an upgrade of
 * either library that moves one fails here.
 */

interface Pair {
  /** The server's end: the WebSocket the writer writes under. */
  server: WebSocket;
  client: WebSocket;
  /** Text messages the client received, in order. */
  received: string[];
  close(): Promise<void>;
}

/** A real ws server (over TLS when given a certificate) and one client connected to it. */
async function connectPair(tls?: { cert: string; key: string; pem: string }): Promise<Pair> {
  const http: Server = tls
    ? createHttpsServer({ cert: readFileSync(tls.cert), key: readFileSync(tls.key) })
    : createHttpServer();
  const wss = new WebSocketServer({ server: http, perMessageDeflate: false });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as { port: number };
  const accepted = new Promise<WebSocket>((resolve) => wss.once('connection', resolve));
  const client = new WebSocket(`${tls ? 'wss' : 'ws'}://127.0.0.1:${port}`, tls ? { ca: tls.pem } : {});
  const received: string[] = [];
  client.on('message', (data: Buffer) => received.push(data.toString()));
  await new Promise((resolve, reject) => client.once('open', resolve).once('error', reject));
  const server = await accepted;
  return {
    server,
    client,
    received,
    async close() {
      client.terminate();
      server.terminate();
      await new Promise((resolve) => wss.close(resolve));
      await new Promise((resolve) => http.close(resolve));
    },
  };
}

/** A text frame of exactly `bytes` bytes (at least 130), numbered. */
function frameOf(bytes: number, n = 0): Buffer {
  const head = bytes - 4 < 65536 ? 4 : 10;
  const json = JSON.stringify(`${n}:`.padEnd(bytes - head - 2, 'x'));
  const frame = textFrame(json);
  assert.equal(frame.length, bytes);
  return frame;
}

function writerFor(ws: WebSocket, options: Partial<ConstructorParameters<typeof FrameWriter>[1]> = {}) {
  return new FrameWriter(ws, {
    turn: new TurnFlusher(),
    maxBufferedBytes: 1024 * 1024 * 1024,
    clock: { now: () => 0 },
    onSlowReader: () => assert.fail('cut off'),
    ...options,
  });
}

/** Counts the writes to a socket (each one a system call, or a TLS record, for the frames it holds). */
function countWrites(raw: Socket): { readonly count: number } {
  const counter = { count: 0 };
  const write = raw.write.bind(raw) as (...args: unknown[]) => boolean;
  raw.write = (...args: unknown[]) => {
    counter.count++;
    return write(...args);
  };
  return counter;
}

const turnEnds = () => new Promise((resolve) => setImmediate(resolve));

describe('frame writer: ws internals it relies on', () => {
  let certificate: ReturnType<typeof makeCertificate>;
  before(() => {
    certificate = makeCertificate();
  });

  test('ws keeps the socket under a WebSocket as `_socket`: a net.Socket, a TLSSocket under TLS', async () => {
    const plain = await connectPair();
    const tls = await connectPair(certificate);
    try {
      assert.ok(rawSocketOf(plain.server) instanceof Socket);
      assert.ok(rawSocketOf(tls.server) instanceof TLSSocket);
    } finally {
      await plain.close();
      await tls.close();
    }
  });

  test('a WebSocket without `_socket` (ws moved it) is refused loudly, not written to silently', () => {
    assert.throws(() => rawSocketOf({} as WebSocket), /_socket/);
    assert.throws(() => writerFor({} as WebSocket), /_socket/);
  });

  for (const mode of ['plain', 'TLS'] as const) {
    test(`${mode}: frames queued in one turn arrive in order, in one write; the next turn's after them`, async () => {
      const pair = await connectPair(mode === 'TLS' ? certificate : undefined);
      try {
        const writes = countWrites(rawSocketOf(pair.server));
        const writer = writerFor(pair.server);
        // Acks are queued before the broadcasts that follow them (the fan-out delivers a turn later).
        for (const frame of ['ack 1', 'ack 2', 'message 1', 'message 2', 'message 3']) {
          writer.send(textFrame(JSON.stringify(frame)));
        }
        assert.equal(writes.count, 0, 'nothing is written before the turn ends');
        await waitFor(() => pair.received.length === 5);
        assert.equal(writes.count, 1);
        writer.send(textFrame(JSON.stringify('message 4')));
        writer.send(frameOf(70_000, 5));
        await waitFor(() => pair.received.length === 7);
        assert.equal(writes.count, 2);
        assert.deepEqual(
          pair.received.slice(0, 6).map((m) => JSON.parse(m) as string),
          ['ack 1', 'ack 2', 'message 1', 'message 2', 'message 3', 'message 4'],
        );
        assert.match(JSON.parse(pair.received[6] ?? '""') as string, /^5:x+$/);
      } finally {
        await pair.close();
      }
    });

    test(`${mode}: ws's bufferedAmount counts what the writer wrote to its socket`, async () => {
      const pair = await connectPair(mode === 'TLS' ? certificate : undefined);
      try {
        const writer = writerFor(pair.server);
        // The client stops reading: what the kernel's buffers cannot take waits in the server's socket.
        const clientSocket = (pair.client as unknown as { _socket: Socket })._socket;
        clientSocket.pause();
        let sent = 0;
        await waitFor(
          async () => {
            writer.send(frameOf(64 * 1024, sent++));
            await turnEnds();
            return pair.server.bufferedAmount > 0;
          },
          { timeoutMs: 30_000, what: 'the server socket to hold bytes' },
        );
        assert.equal(writer.buffered, pair.server.bufferedAmount, 'after the write, all of it is in the socket');
        const extra = frameOf(1000, sent++);
        writer.send(extra);
        assert.equal(writer.buffered, pair.server.bufferedAmount + extra.length, 'plus what this turn queued');
        clientSocket.resume();
        await waitFor(() => pair.received.length === sent, { timeoutMs: 30_000, what: 'every frame' });
        pair.received.forEach((m, i) => assert.ok((JSON.parse(m) as string).startsWith(`${i}:`), `frame ${i}`));
        await waitFor(() => pair.server.bufferedAmount === 0 && writer.buffered === 0);
      } finally {
        await pair.close();
      }
    });
  }
});

describe('frame writer: the slow-reader cut', () => {
  let pair: Pair;
  before(async () => {
    pair = await connectPair();
  });
  after(() => pair.close());

  test('eight times the cap waiting at once: cut off at once, told once, what was queued dropped', async () => {
    const cuts: number[] = [];
    const writer = writerFor(pair.server, {
      maxBufferedBytes: 1000,
      onSlowReader: (buffered) => {
        cuts.push(buffered);
        // As Connection does: the connection ends.
        pair.server.close();
      },
    });
    for (let i = 0; i < 12; i++) writer.send(frameOf(1000, i));
    assert.deepEqual(cuts, [9000], 'cut at the frame that found more than 8x the cap waiting');
    const code = await new Promise<number>((resolve) => pair.client.once('close', resolve));
    assert.equal(code, 1005);
    assert.deepEqual(pair.received, [], 'the queued frames were dropped, not written');
  });
});

describe('frame writer: the slow reader, over the cap for a while', () => {
  test('over the cap is kept for 2 s, then cut; back under it, the grace starts over', async () => {
    const pair = await connectPair();
    try {
      let now = 0;
      const cuts: number[] = [];
      const writer = writerFor(pair.server, {
        maxBufferedBytes: 1000,
        clock: { now: () => now },
        onSlowReader: (buffered) => cuts.push(buffered),
      });
      for (let i = 0; i < 3; i++) writer.send(frameOf(600, i)); // the third finds 1,200 waiting: over
      now = 2000;
      writer.send(frameOf(600, 3));
      assert.deepEqual(cuts, [], 'within the grace');
      // The client reads: once written, nothing waits, and the grace starts over.
      await waitFor(() => pair.received.length === 4);
      await waitFor(() => writer.buffered === 0);
      now = 10_000;
      for (let i = 4; i < 7; i++) writer.send(frameOf(600, i)); // over the cap again, since 10 s
      now = 12_000;
      writer.send(frameOf(600, 7));
      assert.deepEqual(cuts, [], 'over the cap for 2 s only, counting from when it went over again');
      now = 12_001;
      writer.send(frameOf(600, 8));
      assert.deepEqual(cuts, [2400], 'cut once over the cap for more than 2 s');
    } finally {
      await pair.close();
    }
  });

  test('a closed connection is written nothing, and no error is thrown', async () => {
    const pair = await connectPair();
    const writer = writerFor(pair.server);
    pair.server.close();
    writer.send(frameOf(200));
    writer.flush();
    await new Promise((resolve) => pair.client.once('close', resolve));
    assert.deepEqual(pair.received, []);
    await pair.close();
  });
});

describe('frame writer: Primus internals it relies on', () => {
  let http: Server;
  let primus: Primus;
  let url: string;
  const Client = Primus.createSocket({ transformer: 'websockets', pathname: '/primus' });

  before(async () => {
    http = createHttpServer();
    primus = new Primus(http, { transformer: 'websockets', pathname: '/primus', compression: false });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(http.address() as { port: number }).port}`;
  });
  after(async () => {
    await new Promise<void>((resolve) => primus.destroy({ close: true, timeout: 0 }, resolve));
  });

  async function open(): Promise<{ spark: Primus.Spark; client: InstanceType<typeof Client>; data: unknown[] }> {
    const connected = new Promise<Primus.Spark>((resolve) => primus.once('connection', resolve));
    const client = new Client(url, { strategy: false });
    const data: unknown[] = [];
    client.on('data', (d: unknown) => data.push(JSON.parse(JSON.stringify(d))));
    return { spark: await connected, client, data };
  }

  test("a spark of the websockets transformer holds ws's WebSocket: frames written under it reach the Primus client", async () => {
    const { spark, client, data } = await open();
    assert.ok(spark.socket instanceof WebSocket, 'spark.socket is a ws WebSocket');
    const writer = FrameWriter.forSpark(spark, {
      turn: new TurnFlusher(),
      maxBufferedBytes: 1024 * 1024,
      clock: { now: () => 0 },
      onSlowReader: () => assert.fail('cut off'),
    });
    writer.send(textFrame(JSON.stringify({ type: 'joined', room: 'lobby', lastSeq: 0 })));
    writer.send(textFrame(JSON.stringify({ type: 'left', room: 'lobby' })));
    await waitFor(() => data.length === 2);
    assert.deepEqual(data, [
      { type: 'joined', room: 'lobby', lastSeq: 0 },
      { type: 'left', room: 'lobby' },
    ]);
    client.end();
  });

  test('releaseRequest empties the upgrade request; spark.address still reads the client, the spark still works', async () => {
    const { spark, client } = await open();
    const request = spark.request as unknown as Record<string, unknown>;
    const before = { ...spark.address };
    assert.ok(before.port > 0, 'the client port, not a default');
    releaseRequest(spark);
    assert.ok(Object.keys(request).length > 0);
    assert.ok(
      Object.values(request).every((v) => v === undefined),
      'every field of the request is released',
    );
    assert.deepEqual({ ...spark.address }, before, 'the same ip, port and scheme as before');
    const received = new Promise((resolve) => spark.once('data', resolve));
    client.write({ type: 'join', room: 'lobby' });
    assert.deepEqual(await received, { type: 'join', room: 'lobby' });
    const ended = new Promise((resolve) => client.once('end', resolve));
    spark.end(undefined, { reconnect: false });
    await ended;
  });

  test("upgradeGate takes the place of Primus's own `authorization` layer", () => {
    const layers = (primus as unknown as { layers: Array<{ name: string; fn: unknown }> }).layers;
    const index = layers.findIndex((layer) => layer.name === 'authorization');
    assert.notEqual(index, -1, "Primus has a layer named 'authorization'");
    const gate = upgradeGate(async () => undefined, []);
    primus.use('authorization', gate);
    assert.equal(layers[index]?.fn, gate);
    assert.equal(layers.filter((layer) => layer.name === 'authorization').length, 1);
  });
});
