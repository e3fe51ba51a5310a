import type { ClientFrame } from '@pockychat/protocol';
import { ApiError, type HttpApi } from '../api/http-api.ts';
import type { ChatSocket } from '../api/chat-socket.ts';
import { setConnection } from '../state/rooms.ts';
import type { ChatStore } from '../state/store.ts';
import { Requests, type Request } from './requests.ts';

/** Writes a frame; false when the socket is down or not yet ours. */
export type WriteFrame = (frame: ClientFrame, request?: Request) => boolean;

/**
 * The session's socket: writing frames with request ids, the answers they wait for, and the
 * connection's ups and downs as the store shows them.
 */
export class Connection {
  private socket: ChatSocket | undefined;
  private closed = false;
  /** Frames waiting for their answer, by request id. */
  private readonly requests = new Requests();
  private readonly store: ChatStore;
  private readonly http: HttpApi;
  private readonly signOut: () => Promise<void>;

  constructor(store: ChatStore, http: HttpApi, signOut: () => Promise<void>) {
    this.store = store;
    this.http = http;
    this.signOut = signOut;
  }

  /** Takes the socket the factory made; one that arrives after `close` is closed at once. */
  attach(socket: ChatSocket): boolean {
    if (this.closed) socket.close();
    else this.socket = socket;
    return !this.closed;
  }

  close(): void {
    this.closed = true;
    this.socket?.close();
  }

  /** Writes a frame; one that needs an answer carries a fresh request id, matched when the answer comes. */
  readonly write: WriteFrame = (frame, request) => {
    if (!this.socket) return false;
    if (!request) return this.socket.send(frame);
    const id = this.requests.issue(request);
    const sent = this.socket.send({ ...frame, id });
    if (!sent) this.requests.drop(id);
    return sent;
  };

  /** The request an answer (by its id) belongs to. */
  settle(id: string | undefined): Request | undefined {
    return this.requests.settle(id);
  }

  opened(): void {
    // Answers to frames of the connection that dropped will never come.
    this.requests.clear();
    this.store.update((state) => setConnection(state, 'online'));
  }

  down(attempt: number): void {
    this.store.update((state) => setConnection(state, 'reconnecting'));
    // A refused upgrade looks like a network failure; after a few, ask whether the token still works.
    if (attempt === 3 || attempt % 10 === 0) void this.checkSignedIn();
  }

  /** Signs out if the server no longer knows this session's token. */
  async checkSignedIn(): Promise<void> {
    // A stopped session's socket was closed on purpose (a guest became an account): not a sign-out.
    if (this.closed) return;
    try {
      await this.http.me();
    } catch (error) {
      if (error instanceof ApiError && error.status === 401 && !this.closed) await this.signOut();
    }
  }
}
