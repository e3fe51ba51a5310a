import type { IncomingMessage, Server } from 'node:http';
import Primus from 'primus';
import PrimusRooms from 'primus-rooms';
import type { Logger } from 'pino';
import type { User } from '@pockychat/protocol';
import type { ChatService } from '../../chat/chat-service.ts';
import type { Clock } from '../../chat/clock.ts';
import { hashToken, type Identity } from '../../chat/identity.ts';
import type { Presence } from '../../chat/presence.ts';
import type { FrameDelivery, Fanout } from '../../fanout/fanout.ts';
import { tokenOf } from '../credentials.ts';
import { FrameGuard } from '../frame-guard.ts';
import { FreshLikes } from '../fresh-likes.ts';
import { InFlight } from '../in-flight.ts';
import type { Metrics } from '../metrics.ts';
import { isAllowedOrigin } from '../origin.ts';
import type { HeaderList } from '../response-headers.ts';
import { RoomIndex } from '../room-index.ts';
import { Connection } from './connection.ts';
import type { LocalTabVisibility } from './local-tab-visibility.ts';
import { PresenceAnnouncer } from './presence-announcer.ts';
import { releaseRequest } from './frame-writer.ts';
import { textFrame } from './text-frame.ts';
import { TurnFlusher } from './turn-flusher.ts';
import { upgradeGate, type Refusal } from './upgrade-gate.ts';

export interface RealtimeDeps {
  server: Server;
  chat: ChatService;
  identity: Identity;
  fanout: Fanout;
  clock: Clock;
  log: Logger;
  allowedOrigins: readonly string[];
  maxFrameBytes: number;
  parseCookie: (header: string) => Record<string, string | undefined>;
  metrics: Metrics;
  maxBufferedBytes: number;
  /** Frames of any kind a connection may send per window before they are refused. */
  frameLimit: { limit: number; windowMs: number };
  /** The headers every response carries, for the refusals of upgrades (which Fastify never sees). */
  responseHeaders: HeaderList;
  /** Where the connections' `activity` frames go (pushes skip users with a tab in view). */
  tabs?: LocalTabVisibility;
  /** Online / away / offline; absent, the server keeps no presence (PRESENCE=off). */
  presence?: Presence;
}

/** Primus on the HTTP server: authenticates upgrades, runs connections, delivers fan-out. */
export class Realtime {
  readonly primus: Primus;
  readonly #deps: RealtimeDeps;
  readonly #connections = new Map<string, Connection>();
  readonly #byUser = new Map<string, Set<Connection>>();
  readonly #inFlight = new InFlight();
  readonly #rooms = new RoomIndex<Connection>((id) => this.#connections.get(id));
  readonly #turn = new TurnFlusher();
  readonly #likes: FreshLikes;

  constructor(deps: RealtimeDeps) {
    this.#deps = deps;
    this.#likes = new FreshLikes((room, messageId) => deps.chat.likesOf(room, messageId));
    this.primus = new Primus(deps.server, {
      transformer: 'websockets',
      pathname: '/primus',
      // ws refuses (closes with 1009) a frame over this before it is read whole or parsed.
      maxLength: deps.maxFrameBytes,
      plugin: { rooms: PrimusRooms },
      // Wildcards would let `*` subscribe to every room and make a crafted name a slow regexp.
      rooms: { wildcard: false, adapter: this.#rooms },
      compression: false,
    });
    // Primus's defaults trust X-Forwarded-For from anyone and answer CORS for
    // any origin with credentials; this server decides both itself.
    this.primus.remove('forwarded');
    this.primus.remove('cors');
    this.primus.use(
      'authorization',
      upgradeGate((req) => this.#admit(req), deps.responseHeaders),
    );
    this.primus.on('connection', (spark: Primus.Spark) => this.#open(spark));
    deps.presence?.start(new PresenceAnnouncer(this.#byUser, this.#rooms));
    deps.fanout.onDelivery((delivery) => {
      if (delivery.to === 'nodes') return;
      if (delivery.to === 'room' && delivery.frame.type === 'likes') {
        // Tracked: a shutdown lets the refreshes under way go out, as it does the requests.
        void this.#inFlight.track(
          this.#likes.refresh(delivery.frame, (frame) => this.#deliver({ ...delivery, frame })),
        );
      } else {
        this.#deliver(delivery);
      }
    });
    deps.fanout.onResync?.(() => void this.#resync());
  }

  get connectionCount(): number {
    return this.#connections.size;
  }

  /** Who may open a connection: an allowed Origin (checked first: a foreign page learns nothing), then a token. */
  async #admit(req: IncomingMessage & { user?: unknown; tokenHash?: string }): Promise<Refusal | undefined> {
    const { allowedOrigins, identity, parseCookie } = this.#deps;
    if (!isAllowedOrigin(req.headers.origin, req.headers.host, allowedOrigins)) {
      return { statusCode: 403, message: 'origin not allowed' };
    }
    try {
      const token = tokenOf(req, parseCookie);
      const user = await identity.authenticate(token);
      if (!user) return { statusCode: 401, message: 'sign in first: a session cookie or access_token is needed' };
      req.user = user;
      req.tokenHash = token && hashToken(token);
      return undefined;
    } catch (err) {
      this.#deps.log.error({ err }, 'authorizing a connection failed');
      return { statusCode: 500, message: 'internal' };
    }
  }

  #open(spark: Primus.Spark): void {
    const user = spark.request.user as User;
    const tokenHash = spark.request.tokenHash as string;
    releaseRequest(spark);
    const { chat, clock, log } = this.#deps;
    const connection = new Connection({
      spark,
      user,
      chat,
      guard: new FrameGuard(clock, this.#deps.frameLimit),
      log,
      inFlight: this.#inFlight,
      metrics: this.#deps.metrics,
      maxBufferedBytes: this.#deps.maxBufferedBytes,
      tokenHash,
      turn: this.#turn,
      clock,
      onActivity: (visible) => this.#deps.tabs?.set(user.id, spark.id, visible),
      presence: this.#deps.presence,
    });
    this.#connections.set(spark.id, connection);
    let mine = this.#byUser.get(user.id);
    if (!mine) this.#byUser.set(user.id, (mine = new Set()));
    mine.add(connection);
    this.#deps.presence?.opened(user.id);

    spark.on('data', (data: unknown) => connection.receive(data));
    spark.on('error', (err: Error) => {
      if (err.name === 'ParserError') connection.fail('bad_request', 'a frame must be one JSON object', undefined);
    });
    spark.on('end', () => this.#close(connection));
    log.debug({ user: user.id, spark: spark.id }, 'connection opened');
  }

  #close(connection: Connection): void {
    this.#connections.delete(connection.spark.id);
    this.#deps.tabs?.drop(connection.user.id, connection.spark.id);
    const mine = this.#byUser.get(connection.user.id);
    mine?.delete(connection);
    if (mine?.size === 0) this.#byUser.delete(connection.user.id);
    this.#deps.presence?.closed(connection.user.id, connection.visible, connection.joined);
  }

  /**
   * After a fan-out outage, every connection hears `joined` again for each of
   * its rooms, with the room's current lastSeq and lastRev: clients fetch
   * what they missed from history, as after any join.
   */
  async #resync(): Promise<void> {
    const places = new Map<string, { lastSeq: number; lastRev: number }>();
    for (const connection of this.#connections.values()) {
      for (const room of connection.joined) {
        let place = places.get(room);
        if (!place) places.set(room, (place = await this.#deps.chat.lastPlace(room)));
        connection.write({ type: 'joined', room, ...place });
      }
    }
  }

  /**
   * Encodes and frames each delivery once, whatever the number of
   * recipients (Primus would encode per recipient in spark.write, and ws
   * frame per send).
   */
  #deliver(delivery: FrameDelivery): void {
    const frame = textFrame(JSON.stringify(delivery.frame));
    const { metrics } = this.#deps;
    if (delivery.frame.type === 'message') {
      metrics.fanoutLatency.observe((Date.now() - Date.parse(delivery.frame.message.date)) / 1000);
    }
    if (delivery.to === 'token') {
      for (const connection of this.#connections.values()) {
        if (connection.tokenHash !== delivery.tokenHash) continue;
        connection.sendFrame(frame);
        connection.end(delivery.reconnect ?? false);
      }
      return;
    }
    if (delivery.to === 'user') {
      for (const connection of this.#byUser.get(delivery.userId) ?? []) {
        if (connection.spark.id === delivery.exceptConnection) continue;
        if (delivery.unsubscribe) void connection.unsubscribe(delivery.unsubscribe);
        connection.sendFrame(frame);
        if (delivery.close) connection.end(true);
      }
      return;
    }
    let delivered = 0;
    for (const connection of this.#rooms.members(delivery.room) ?? []) {
      if (connection.user.id !== delivery.exceptUserId) {
        connection.sendFrame(frame);
        delivered++;
      }
    }
    metrics.deliveries.inc(delivered);
  }

  /**
   * Lets the frames under way finish (their acks are written), then ends
   * every connection, asking clients to reconnect (elsewhere, when there is
   * an elsewhere).
   */
  async close(): Promise<void> {
    await this.#inFlight.drain(5000);
    for (const connection of this.#connections.values()) {
      connection.write({ type: 'reconnect', reason: 'server shutting down' });
      connection.end(true);
    }
    this.#deps.presence?.stop();
    await new Promise<void>((resolve) => this.primus.destroy({ close: false, reconnect: true, timeout: 0 }, resolve));
  }
}
