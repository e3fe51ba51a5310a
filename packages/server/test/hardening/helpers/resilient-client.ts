import Primus from 'primus';
import type { HistoryAnswer, Message, ServerFrame } from '@pockychat/protocol';
import { sleep } from './figures.ts';

const Socket = Primus.createSocket({ transformer: 'websockets', pathname: '/primus' });
type PrimusSocket = InstanceType<typeof Socket>;

interface Pending {
  room: string;
  text: string;
}

/**
 * A client that survives anything the fault run throws at it, the way a
 * careful real client would: when its connection goes (a node killed, a
 * `reconnect` frame, a refused upgrade), it connects to any live node,
 * joins its rooms again, catches up from history, and resends every
 * message not yet acked with the same clientId. Its view of each room
 * (messages by id, like lists) is what the test compares with a fresh
 * history at the end.
 *
 * Likes changed while it was away reach it by no frame, and the protocol
 * has no catch-up for likes beside history: so a catch-up re-reads the
 * room from since=0 (the rooms of the fault run are a few hundred messages).
 */
export class ResilientClient {
  readonly name: string;
  readonly token: string;
  readonly userId: string;
  readonly rooms: readonly string[];
  /** Every message seen, by id: acks, live frames, history. */
  readonly messages = new Map<string, Message>();
  /** Sent, not yet acked: clientId → what to resend. */
  readonly pending = new Map<string, Pending>();
  /** clientId → the message id its ack named; a second, different id for one clientId is a double. */
  readonly acked = new Map<string, string>();
  /** Acks naming a different message for a clientId acked before. */
  doubledAcks = 0;
  /** `message` frames for an id already seen live (at-least-once is fine; counted for the report). */
  repeatedDeliveries = 0;
  connects = 0;
  /** `reconnect` frames received: a node going away told this client so. */
  reconnectFrames = 0;
  sends = 0;
  resends = 0;
  likeOps = 0;

  readonly #liveNodes: () => string[];
  readonly #rng: () => number;
  #socket: PrimusSocket | undefined;
  #node: string | undefined;
  #ready = false;
  #stopped = false;
  #reconnecting: Promise<void> | undefined;
  #counter = 0;
  #resendTimer: NodeJS.Timeout | undefined;
  /** Live likes frames that arrive while a catch-up is reading history: applied after the last one ends. */
  #heldLikes: Array<Extract<ServerFrame, { type: 'likes' }>> | undefined;
  /** Catch-ups under way: a reconnect's, and one per room on a resync `joined` (they overlap). */
  #catchUps = 0;
  readonly #seenLive = new Set<string>();

  constructor(options: {
    name: string;
    token: string;
    userId: string;
    rooms: readonly string[];
    liveNodes: () => string[];
    rng: () => number;
  }) {
    this.name = options.name;
    this.token = options.token;
    this.userId = options.userId;
    this.rooms = options.rooms;
    this.#liveNodes = options.liveNodes;
    this.#rng = options.rng;
  }

  get ready(): boolean {
    return this.#ready;
  }

  get node(): string | undefined {
    return this.#node;
  }

  start(): Promise<void> {
    return this.#reconnect();
  }

  /** Queues a message; it is written now if connected, else resent after the next reconnect. */
  send(room: string, text?: string): string {
    const clientId = `${this.name}-${++this.#counter}`;
    this.pending.set(clientId, { room, text: text ?? `${clientId} says ${this.#counter}` });
    this.sends++;
    if (this.#ready) this.#write({ type: 'send', room, clientId, text: this.pending.get(clientId)?.text });
    return clientId;
  }

  /** Likes or unlikes a message this client has seen (fire and forget: like a person's click). */
  toggleLike(message: Message): void {
    if (!this.#ready) return;
    this.likeOps++;
    const liked = message.likes.includes(this.userId);
    this.#write({ type: liked ? 'unlike' : 'like', room: message.room, messageId: message.id });
  }

  /** This client's view of a room: its messages in seq order. */
  view(room: string): Message[] {
    return [...this.messages.values()].filter((m) => m.room === room).sort((a, b) => a.seq - b.seq);
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#ready = false;
    clearTimeout(this.#resendTimer);
    this.#socket?.end();
    await this.#reconnecting;
  }

  #write(frame: unknown): void {
    this.#socket?.write(frame);
  }

  #reconnect(): Promise<void> {
    this.#reconnecting ??= this.#connectLoop().finally(() => (this.#reconnecting = undefined));
    return this.#reconnecting;
  }

  async #connectLoop(): Promise<void> {
    this.#ready = false;
    while (!this.#stopped) {
      const nodes = this.#liveNodes();
      const node = nodes[Math.floor(this.#rng() * nodes.length)];
      if (node && (await this.#tryConnect(node))) return;
      await sleep(100 + Math.floor(this.#rng() * 200));
    }
  }

  /** One attempt: open, join every room, catch up, resend. False (and the socket dropped) on any failure. */
  async #tryConnect(node: string): Promise<boolean> {
    const socket = new Socket(`${node}?access_token=${encodeURIComponent(this.token)}`, { strategy: false });
    const frames: ServerFrame[] = [];
    let gone = false;
    socket.on('data', (raw: ServerFrame) => {
      // Primus's Node client runs in a vm context: frames are re-created in this realm.
      const frame = JSON.parse(JSON.stringify(raw)) as ServerFrame;
      if (this.#socket === socket && this.#ready) this.#receive(frame);
      else frames.push(frame);
    });
    const lost = () => {
      gone = true;
      if (this.#socket !== socket) return;
      this.#ready = false;
      this.#socket = undefined;
      if (!this.#stopped) void this.#reconnect();
    };
    socket.on('end', lost);
    socket.on('close', lost);
    socket.on('error', () => undefined);
    try {
      await withTimeout(
        new Promise<void>((resolve, reject) => {
          socket.once('open', () => resolve());
          socket.once('end', () => reject(new Error('ended before open')));
        }),
        3000,
      );
      this.#socket = socket;
      this.#node = node;
      this.connects++;
      for (const room of this.rooms) {
        socket.write({ type: 'join', room });
        const answer = await waitFrame(
          frames,
          (f) => (f.type === 'joined' && f.room === room) || (f.type === 'error' && f.ref === room),
          () => gone,
          5000,
        );
        if (answer.type === 'error') throw new Error(`join ${room}: ${answer.code}`);
      }
      this.#ready = true;
      this.#holdLikes();
      try {
        // Frames that came in while joining: live messages and likes, applied now.
        for (const frame of frames.splice(0)) this.#receive(frame);
        for (const room of this.rooms) await this.#catchUp(node, room);
      } finally {
        this.#releaseLikes();
      }
      this.#resendPending();
      return true;
    } catch {
      if (this.#socket === socket) this.#socket = undefined;
      this.#ready = false;
      socket.end();
      return false;
    }
  }

  /** One resend of everything pending a second from now, however many refusals asked for it. */
  #scheduleResend(): void {
    if (this.#resendTimer) return;
    this.#resendTimer = setTimeout(() => {
      this.#resendTimer = undefined;
      if (this.#ready && !this.#stopped) this.#resendPending();
    }, 1000);
  }

  #resendPending(): void {
    for (const [clientId, { room, text }] of this.pending) {
      this.resends++;
      this.#write({ type: 'send', room, clientId, text });
    }
  }

  /** Reads the room from the start, in pages of 500: new messages, and every like list as it is now. */
  async #catchUp(node: string, room: string): Promise<void> {
    let since = 0;
    for (;;) {
      const response = await withTimeout(
        fetch(`${node}/history?room=${room}&since=${since}&limit=500`, {
          headers: { authorization: `Bearer ${this.token}` },
        }),
        5000,
      );
      if (response.status !== 200) throw new Error(`history: ${response.status}`);
      const { messages } = (await response.json()) as HistoryAnswer;
      for (const message of messages) this.messages.set(message.id, message);
      if (messages.length < 500) return;
      since = messages.at(-1)?.seq ?? since;
    }
  }

  /** Holds live likes frames until every catch-up under way has ended (a page read earlier would overwrite them). */
  #holdLikes(): void {
    this.#catchUps++;
    this.#heldLikes ??= [];
  }

  #releaseLikes(): void {
    if (--this.#catchUps > 0) return;
    const held = this.#heldLikes ?? [];
    this.#heldLikes = undefined;
    for (const frame of held) this.#applyLikes(frame);
  }

  #applyLikes(frame: Extract<ServerFrame, { type: 'likes' }>): void {
    const message = this.messages.get(frame.messageId);
    if (message) this.messages.set(message.id, { ...message, likes: frame.likes });
  }

  #receive(frame: ServerFrame): void {
    switch (frame.type) {
      case 'ack': {
        this.pending.delete(frame.clientId);
        const before = this.acked.get(frame.clientId);
        if (before !== undefined && before !== frame.message.id) this.doubledAcks++;
        this.acked.set(frame.clientId, frame.message.id);
        this.#store(frame.message);
        return;
      }
      case 'message':
        if (this.#seenLive.has(frame.message.id)) this.repeatedDeliveries++;
        this.#seenLive.add(frame.message.id);
        this.#store(frame.message);
        return;
      case 'likes':
        if (this.#heldLikes) this.#heldLikes.push(frame);
        else this.#applyLikes(frame);
        return;
      case 'joined':
        // A resync after a fan-out outage: catch up on this node.
        if (this.#node && this.#ready) {
          const node = this.#node;
          this.#holdLikes();
          void this.#catchUp(node, frame.room)
            .catch(() => this.#socket?.end())
            .finally(() => this.#releaseLikes());
        }
        return;
      case 'error':
        // Refused sends (the database away: internal; rate_limited) stay pending: all are resent a bit later.
        if (frame.ref && this.pending.has(frame.ref)) this.#scheduleResend();
        return;
      case 'reconnect':
        // The server is going away: leave now, for another node.
        this.reconnectFrames++;
        this.#socket?.end();
        return;
      default:
        return;
    }
  }

  /** A message as it arrives; a stored copy keeps the newer like list only when the message is new. */
  #store(message: Message): void {
    if (!this.messages.has(message.id)) this.messages.set(message.id, message);
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function waitFrame(
  frames: ServerFrame[],
  match: (frame: ServerFrame) => boolean,
  gone: () => boolean,
  timeoutMs: number,
): Promise<ServerFrame> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const index = frames.findIndex(match);
    if (index >= 0) return frames.splice(index, 1)[0] as ServerFrame;
    if (gone() || Date.now() > deadline) throw new Error('no answer');
    await sleep(10);
  }
}
