import { createServer } from 'node:http';
import { randomBytes } from 'node:crypto';
import * as wsModule from 'ws';
import { WebSocket, WebSocketServer } from 'ws';

/**
 * Baseline (a): Node's practical limit for a broadcast chat. Rooms are Sets of
 * sockets; a broadcast is serialised and framed once, and the same bytes are
 * written to each recipient's TCP socket. No validation, no persistence.
 * Same frames as pockychat (JSON objects keyed on `type`), so the load
 * generator and the payload sizes are the same.
 */

interface Member {
  ws: WebSocket;
  user: { id: string; name: string; kind: 'guest' };
  rooms: Set<string>;
}

const port = Number(process.env.PORT ?? 0);
const rooms = new Map<string, Set<Member>>();
const seqs = new Map<string, number>();
let nextId = 0;
const idPrefix = randomBytes(6).toString('hex');

const http = createServer((_req, res) => res.end('ok'));
const wss = new WebSocketServer({ server: http, perMessageDeflate: false, maxPayload: 64 * 1024 });

// ws's framing, which its published types leave out.
const { Sender } = wsModule as unknown as {
  Sender: {
    frame(
      data: Buffer,
      options: { fin: boolean; rsv1: boolean; opcode: number; mask: boolean; readOnly: boolean },
    ): Buffer[];
  };
};

/** One frame for everyone: the bytes of a complete unmasked text frame. */
function framed(frame: unknown): Buffer {
  const data = Buffer.from(JSON.stringify(frame));
  return Buffer.concat(Sender.frame(data, { fin: true, rsv1: false, opcode: 1, mask: false, readOnly: false }));
}

function writeRaw(member: Member, bytes: Buffer): void {
  if (member.ws.readyState !== WebSocket.OPEN) return;
  (member.ws as unknown as { _socket: { write(b: Buffer): boolean } })._socket.write(bytes);
}

wss.on('connection', (ws) => {
  const member: Member = {
    ws,
    user: { id: randomBytes(10).toString('hex'), name: 'bench', kind: 'guest' },
    rooms: new Set(),
  };
  ws.on('message', (data: Buffer) => {
    const frame = JSON.parse(data.toString('utf8')) as { type: string; room: string; clientId?: string; text?: string };
    if (frame.type === 'join') {
      let set = rooms.get(frame.room);
      if (!set) rooms.set(frame.room, (set = new Set()));
      set.add(member);
      member.rooms.add(frame.room);
      ws.send(JSON.stringify({ type: 'joined', room: frame.room, lastSeq: seqs.get(frame.room) ?? 0 }));
    } else if (frame.type === 'send') {
      const set = rooms.get(frame.room);
      if (!set || !member.rooms.has(frame.room)) return;
      const seq = (seqs.get(frame.room) ?? 0) + 1;
      seqs.set(frame.room, seq);
      const message = {
        id: `${idPrefix}${nextId++}`,
        room: frame.room,
        seq,
        author: member.user,
        text: frame.text,
        date: new Date().toISOString(),
        likes: [],
      };
      ws.send(JSON.stringify({ type: 'ack', clientId: frame.clientId, message }));
      const bytes = framed({ type: 'message', message });
      for (const other of set) writeRaw(other, bytes);
    }
  });
  ws.on('close', () => {
    for (const room of member.rooms) rooms.get(room)?.delete(member);
  });
  ws.on('error', () => undefined);
});

http.listen(port, '127.0.0.1', () => {
  const address = http.address();
  process.stdout.write(`listening ${typeof address === 'object' && address ? address.port : port}\n`);
});
process.once('SIGTERM', () => {
  for (const ws of wss.clients) ws.terminate();
  wss.close();
  http.close();
});
