import type Primus from 'primus';
import type { Logger } from 'pino';
import { type z } from 'zod';
import { ClientFrame, RequestId, type ErrorCode, type ServerFrame, type User } from '@pockychat/protocol';
import type { ChatService } from '../../chat/chat-service.ts';
import { ChatError } from '../../chat/chat-error.ts';
import type { Clock } from '../../chat/clock.ts';
import type { Presence } from '../../chat/presence.ts';
import type { FrameGuard } from '../frame-guard.ts';
import type { InFlight } from '../in-flight.ts';
import type { Metrics } from '../metrics.ts';
import { toWireError } from '../wire-error.ts';
import { FrameWriter } from './frame-writer.ts';
import { textFrame } from './text-frame.ts';
import type { TurnFlusher } from './turn-flusher.ts';

/** One authenticated Primus connection: parses its frames, calls the domain, answers through its FrameWriter. */
export class Connection {
  readonly user: User;
  readonly spark: Primus.Spark;
  /** Rooms this connection subscribed to; sending needs one. */
  readonly joined = new Set<string>();
  /** Joins under way, by room (see #joinDone). */
  readonly #joining = new Map<string, Promise<unknown>>();
  /** The hash of the token (or cookie) the connection was opened with: logging it out closes it. */
  readonly tokenHash: string;
  readonly #chat: ChatService;
  readonly #guard: FrameGuard;
  readonly #log: Logger;
  readonly #inFlight: InFlight;
  readonly #metrics: Metrics;
  readonly #writer: FrameWriter;
  readonly #onActivity: ((visible: boolean) => void) | undefined;
  readonly #presence: Presence | undefined;
  /** The tab's visibility, as last reported in an activity frame. */
  visible = false;
  /** The presence change this connection last heard of (one frame per change, whatever the rooms shared). */
  presenceStamp = 0;

  constructor(deps: {
    spark: Primus.Spark;
    user: User;
    chat: ChatService;
    guard: FrameGuard;
    log: Logger;
    inFlight: InFlight;
    metrics: Metrics;
    maxBufferedBytes: number;
    tokenHash: string;
    turn: TurnFlusher;
    clock: Clock;
    /** The client said whether its tab is in view (an `activity` frame). */
    onActivity?: (visible: boolean) => void;
    presence?: Presence | undefined;
  }) {
    this.#onActivity = deps.onActivity;
    this.#presence = deps.presence;
    this.tokenHash = deps.tokenHash;
    this.#metrics = deps.metrics;
    this.spark = deps.spark;
    this.#writer = FrameWriter.forSpark(deps.spark, {
      turn: deps.turn,
      maxBufferedBytes: deps.maxBufferedBytes,
      clock: deps.clock,
      onSlowReader: (buffered) => {
        this.#log.warn({ user: this.user.id, buffered }, 'cutting off a client that stopped reading');
        this.end(true);
      },
    });
    this.user = deps.user;
    this.#chat = deps.chat;
    this.#guard = deps.guard;
    this.#log = deps.log;
    this.#inFlight = deps.inFlight;
  }

  write(frame: ServerFrame): void {
    this.#writer.send(textFrame(JSON.stringify(frame)));
  }

  /** Queues a frame built once for many (see Realtime's delivery); a reader that stopped is cut off. */
  sendFrame(frame: Buffer): void {
    this.#writer.send(frame);
  }

  /** Closes the connection after what was queued for it; `reconnect` tells the client whether to come back. */
  end(reconnect: boolean): void {
    this.#writer.flush();
    this.spark.end(undefined, { reconnect });
  }

  /**
   * Handles one decoded frame; never throws, every failure becomes an error
   * frame. While the server drains, frames are dropped unanswered: the
   * client resends what was not acked after it reconnects.
   */
  receive(raw: unknown): void {
    if (this.#inFlight.draining) return;
    void this.#inFlight.track(this.#handle(raw));
  }

  async #handle(raw: unknown): Promise<void> {
    const ref = refOf(raw);
    const id = requestIdOf(raw);
    if (!this.#guard.admit()) return this.fail('rate_limited', 'too many frames; slow down', ref, id);
    const parsed = ClientFrame.safeParse(raw);
    if (!parsed.success) return this.fail('bad_request', describe(parsed.error), ref, id);
    try {
      const answer = await this.#dispatch(parsed.data);
      // A frame with an id and no answer of its own hears `ok` once done (durably, for a change).
      if (answer) this.write(id === undefined ? answer : { ...answer, id });
      else if (id !== undefined) this.write({ type: 'ok', id });
    } catch (err) {
      const { code, message } = toWireError(err, this.#log);
      this.fail(code, message, ref, id);
    }
  }

  /** Answers a refused frame; too many refusals in a row and the connection is closed. */
  fail(code: ErrorCode, message: string, ref: string | undefined, id?: string): void {
    this.#metrics.errors.inc({ code });
    this.write({ type: 'error', ...(id !== undefined && { id }), code, message, ...(ref !== undefined && { ref }) });
    if (code !== 'internal' && !this.#guard.strike()) {
      this.#log.warn({ user: this.user.id }, 'closing a connection that keeps sending bad frames');
      this.end(false);
    }
  }

  /** Does what the frame asks; returns its answer, if it has one of its own (the caller adds the id). */
  async #dispatch(frame: ClientFrame): Promise<DirectAnswer | void> {
    switch (frame.type) {
      case 'join': {
        const joining = this.#chat.join(this.user, frame.room, frame.visibility, {
          subscribe: () => this.#subscribe(frame.room),
          unsubscribe: () => this.unsubscribe(frame.room),
        });
        this.#joining.set(frame.room, joining);
        try {
          const place = await joining;
          // A ban, a removal or a leave for good delivered while the join finished has ended the
          // subscription (its `left` is out): `joined` after it would tell the client it is in.
          if (!this.joined.has(frame.room))
            throw new ChatError('forbidden', `you are no longer in ${frame.room}: it ended as you joined`);
          return { type: 'joined', room: frame.room, ...place };
        } finally {
          if (this.#joining.get(frame.room) === joining) this.#joining.delete(frame.room);
        }
      }
      case 'leave':
        await this.#joinDone(frame.room);
        await this.unsubscribe(frame.room);
        return { type: 'left', room: frame.room };
      case 'send': {
        await this.#assertJoined(frame.room);
        const { type: _type, id: _id, ...send } = frame;
        const ack = await this.#chat.send(this.user, send);
        this.#metrics.messages.inc();
        return ack;
      }
      case 'like':
      case 'unlike':
        return this.#chat.setLike(this.user, frame.room, frame.messageId, frame.type === 'like');
      case 'react':
      case 'unreact':
        return this.#chat.react(this.user, frame.room, frame.messageId, frame.emoji, frame.type === 'react');
      case 'edit':
        return this.#chat.edit(this.user, frame.room, frame.messageId, frame.text);
      case 'delete':
        return this.#chat.delete(this.user, frame.room, frame.messageId);
      case 'typing':
        await this.#assertJoined(frame.room);
        return this.#chat.typing(this.user, frame.room);
      case 'read':
        return this.#chat.markRead(this.user, frame.room, frame.seq, this.spark.id);
      case 'activity': {
        const wasVisible = this.visible;
        this.visible = frame.visible;
        this.#presence?.activity(this.user.id, frame.visible, wasVisible);
        this.#onActivity?.(frame.visible);
        return;
      }
    }
  }

  async #assertJoined(room: string): Promise<void> {
    await this.#joinDone(room);
    if (!this.joined.has(room)) throw new ChatError('forbidden', `join ${room} first`);
  }

  /**
   * A frame that follows a join of its room waits for that join: a client may
   * send `join` then `send` without waiting for `joined`, and the join's
   * database work (a flush to disk) must not let the send overtake it.
   */
  async #joinDone(room: string): Promise<void> {
    await this.#joining.get(room)?.catch(() => undefined);
  }

  // Room names reach primus-rooms only after validation: it would read spaces
  // as several rooms (and `*` as a wildcard were that not switched off).
  #subscribe(room: string): Promise<void> {
    this.joined.add(room);
    return new Promise((resolve, reject) =>
      this.spark.join(room, (err) => {
        if (err) return reject(err);
        this.#presence?.joined(this.user.id, room);
        resolve();
      }),
    );
  }

  unsubscribe(room: string): Promise<void> {
    // Only rooms this connection joined reach primus-rooms: its per-spark map
    // is a plain object, where a never-joined `constructor` would look joined.
    if (!this.joined.delete(room)) return Promise.resolve();
    return new Promise((resolve) => this.spark.leave(room, () => resolve()));
  }
}

type DirectAnswer = Extract<ServerFrame, { type: 'joined' | 'left' | 'ack' }>;

/** The request id of a frame, if it has a well-formed one (a bad frame's error still echoes it). */
function requestIdOf(raw: unknown): string | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const parsed = RequestId.safeParse((raw as { id?: unknown }).id);
  return parsed.success ? parsed.data : undefined;
}

/** The error's `ref`: the request's clientId if it has one, else its room. */
function refOf(raw: unknown): string | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const { clientId, room } = raw as { clientId?: unknown; room?: unknown };
  if (typeof clientId === 'string' && clientId.length <= 64) return clientId;
  if (typeof room === 'string' && room.length <= 100) return room;
  return undefined;
}

function describe(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'bad frame';
  const where = issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  return `bad frame: ${where}${issue.message}`.slice(0, 300);
}
