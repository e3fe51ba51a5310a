import { createServer } from 'node:http';
import { randomBytes } from 'node:crypto';
import { Server } from 'socket.io';

/**
 * Baseline (b): the equivalent Socket.IO server. Rooms are Socket.IO rooms;
 * `io.to(room).emit` encodes once and (socket.io-adapter's wsPreEncodedFrame)
 * frames once. Acks are Socket.IO acknowledgements. WebSocket transport only.
 */

interface SendFrame {
  room: string;
  clientId: string;
  text: string;
}

const port = Number(process.env.PORT ?? 0);
const seqs = new Map<string, number>();
let nextId = 0;
const idPrefix = randomBytes(6).toString('hex');

const http = createServer((_req, res) => res.end('ok'));
const io = new Server(http, {
  transports: ['websocket'],
  serveClient: false,
  perMessageDeflate: false,
  maxHttpBufferSize: 64 * 1024,
});

io.on('connection', (socket) => {
  const user = { id: randomBytes(10).toString('hex'), name: 'bench', kind: 'guest' };
  socket.on('join', (room: string, ack: (answer: unknown) => void) => {
    void socket.join(room);
    ack({ type: 'joined', room, lastSeq: seqs.get(room) ?? 0 });
  });
  socket.on('send', (frame: SendFrame, ack: (answer: unknown) => void) => {
    if (!socket.rooms.has(frame.room)) return;
    const seq = (seqs.get(frame.room) ?? 0) + 1;
    seqs.set(frame.room, seq);
    const message = {
      id: `${idPrefix}${nextId++}`,
      room: frame.room,
      seq,
      author: user,
      text: frame.text,
      date: new Date().toISOString(),
      likes: [],
    };
    ack({ type: 'ack', clientId: frame.clientId, message });
    io.to(frame.room).emit('message', { type: 'message', message });
  });
});

http.listen(port, '127.0.0.1', () => {
  const address = http.address();
  process.stdout.write(`listening ${typeof address === 'object' && address ? address.port : port}\n`);
});
process.once('SIGTERM', () => {
  io.disconnectSockets(true);
  void io.close();
});
