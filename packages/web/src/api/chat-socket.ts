import { ServerFrame, type ClientFrame } from '@pockychat/protocol';
import type { PrimusConstructor, PrimusSocket } from './primus-client.ts';

export interface ChatSocketHandlers {
  /** A validated frame from the server. */
  frame(frame: ServerFrame): void;
  /** The connection is open, for the first time or again: subscriptions must be (re)made. */
  open(): void;
  /** The connection dropped; a reconnect is under way. `attempt` counts failed tries. */
  down(attempt: number): void;
}

// Backoff between reconnect attempts; never give up: a chat tab may sit open for days.
const reconnect = { min: 300, max: 5000, factor: 1.6, retries: Infinity };

/** The one real-time connection: Primus underneath, protocol frames on top. */
export class ChatSocket {
  private readonly primus: PrimusSocket;
  private readonly Primus: PrimusConstructor;
  private closed = false;
  private reopenTimer: ReturnType<typeof setTimeout> | undefined;
  private reopenAttempt = 0;

  constructor(Primus: PrimusConstructor, apiOrigin: string, token: string | null, handlers: ChatSocketHandlers) {
    this.Primus = Primus;
    const origin = apiOrigin || window.location.origin;
    // Browsers cannot set headers on a WebSocket upgrade, so the token rides in the query. Without
    // one (a same-origin cookie sign-in) the upgrade carries the session cookie instead.
    const url = token ? `${origin}/?access_token=${encodeURIComponent(token)}` : `${origin}/`;
    this.primus = new Primus(url, { reconnect });
    this.primus.on('open', () => {
      this.reopenAttempt = 0;
      handlers.open();
    });
    this.primus.on('data', (data) => this.receive(data, handlers));
    this.primus.on('reconnect scheduled', ({ attempt }) => handlers.down(attempt));
    this.primus.on('end', () => this.reopen(handlers));
  }

  get isOpen(): boolean {
    return this.primus.readyState === this.Primus.OPEN;
  }

  /**
   * Writes a frame if the connection is open. When it is not, nothing is queued: Primus would
   * flush its queue before the rooms are joined again, and the server would refuse the sends.
   */
  send(frame: ClientFrame): boolean {
    if (!this.isOpen) return false;
    return this.primus.write(frame);
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.reopenTimer);
    this.primus.end();
  }

  private receive(data: unknown, handlers: ChatSocketHandlers): void {
    const parsed = ServerFrame.safeParse(data);
    if (parsed.success) handlers.frame(parsed.data);
    else console.warn('pockychat: ignored a frame off the protocol', data, parsed.error.issues);
  }

  /**
   * Primus stops for good when its first connect fails or the server closes the connection on
   * purpose (a shutdown or a restart). Neither is a reason for a chat to stay offline.
   */
  private reopen(handlers: ChatSocketHandlers): void {
    if (this.closed) return;
    this.reopenAttempt += 1;
    handlers.down(this.reopenAttempt);
    // Offline, Primus itself ended the connection and reconnects on the browser's `online` event.
    if (!navigator.onLine) return;
    const delay = Math.min(reconnect.max, reconnect.min * reconnect.factor ** this.reopenAttempt);
    this.reopenTimer = setTimeout(() => {
      if (!this.closed) this.primus.open();
    }, delay);
  }
}
