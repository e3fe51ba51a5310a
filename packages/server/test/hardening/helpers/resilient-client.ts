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
 * (messages by id: text, tombstones, reactions) is what the test compares
 * with a fresh history at the end.
 *
 * It also edits and deletes its own messages and reacts to any. Every copy
 * of a message it gets (an ack, a `message` or `updated` frame, a history
 * page) replaces the one it holds only if its rev is newer, so the order in
 * which they come does not matter; `likes` frames (no rev) are left to the
 * `updated` that goes with each. A catch-up asks history?changedSince from
 * the last rev a catch-up of that room reached: every change past it, each
 * message once, exactly.
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
  edits = 0;
  deletes = 0;
  reactOps = 0;
  /** Per room, the rev up to which a catch-up applied every change. */
  readonly #caughtUp = new Map<string, number>();

  readonly #liveNodes: () => string[];
  readonly #rng: () => number;
  #socket: PrimusSocket | undefined;
  #node: string | undefined;
  #ready = false;
  #stopped = false;
  #reconnecting: Promise<void> | undefined;
  #counter = 0;
  #resendTimer: NodeJS.Timeout | undefined;
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

  /** Edits one of its own live messages (fire and forget); the original text stays as a prefix. */
  edit(message: Message): void {
    if (!this.#ready || message.author.id !== this.userId || message.deleted) return;
    this.edits++;
    const text = `${message.text.split(' ~')[0]} ~e${++this.#counter}`;
    this.#write({ type: 'edit', room: message.room, messageId: message.id, text });
  }

  /** Deletes one of its own messages (fire and forget). */
  delete(message: Message): void {
    if (!this.#ready || message.author.id !== this.userId || message.deleted) return;
    this.deletes++;
    this.#write({ type: 'delete', room: message.room, messageId: message.id });
  }

  /** Adds or removes its reaction with this emoji (fire and forget). */
  toggleReaction(message: Message, emoji: string): void {
    if (!this.#ready || message.deleted) return;
    this.reactOps++;
    const on = !(message.reactions[emoji] ?? []).includes(this.userId);
    this.#write({ type: on ? 'react' : 'unreact', room: message.room, messageId: message.id, emoji });
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
      // Frames that came in while joining: live messages and changes, applied now.
      for (const frame of frames.splice(0)) this.#receive(frame);
      for (const room of this.rooms) await this.#catchUp(node, room);
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

  /** Every change of the room past the rev the last catch-up reached, in pages of 500. */
  async #catchUp(node: string, room: string): Promise<void> {
    let since = this.#caughtUp.get(room) ?? 0;
    for (;;) {
      const response = await withTimeout(
        fetch(`${node}/history?room=${room}&changedSince=${since}&limit=500`, {
          headers: { authorization: `Bearer ${this.token}` },
        }),
        5000,
      );
      if (response.status !== 200) throw new Error(`history: ${response.status}`);
      const { messages, lastRev } = (await response.json()) as HistoryAnswer;
      for (const message of messages) this.#store(message);
      since = Math.max(since, lastRev ?? since);
      // Monotone: two catch-ups of a room may overlap (a reconnect's and a resync's).
      this.#caughtUp.set(room, Math.max(this.#caughtUp.get(room) ?? 0, since));
      if (messages.length < 500) return;
    }
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
      case 'updated':
        this.#store(frame.message);
        return;
      case 'joined':
        // A resync after a fan-out outage: catch up on this node.
        if (this.#node && this.#ready) void this.#catchUp(this.#node, frame.room).catch(() => this.#socket?.end());
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

  /** A copy of a message replaces the one held only if it is newer (a higher rev). */
  #store(message: Message): void {
    const held = this.messages.get(message.id);
    if (!held || message.rev > held.rev) this.messages.set(message.id, message);
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
