import type { Visibility } from '@pockychat/protocol';
import { markJoined, setNotice } from '../state/rooms.ts';
import type { ChatStore } from '../state/store.ts';
import type { WriteFrame } from './connection.ts';
import type { MessageSends } from './message-sends.ts';
import type { RoomSync } from './room-sync.ts';

/** Answers to a join that mean the room will not be ours; any other error is the server's trouble, and passes. */
const REFUSED_JOIN: ReadonlySet<string> = new Set(['forbidden', 'not_found', 'bad_request', 'unauthenticated']);
/** How long to wait before asking again for a room the server could not join us to. */
const REJOIN_DELAY_MS = 2000;

export interface RoomJoinsDeps {
  store: ChatStore;
  write: WriteFrame;
  sync: RoomSync;
  sends: MessageSends;
  /** Reads GET /rooms again: the member count of a room just joined. */
  refreshDirectory: () => void;
  /** Takes a room the server refused out of the sidebar, saying why. */
  drop: (room: string, notice: string) => void;
}

/**
 * Joins on the socket: the first one, again on every reconnect, and again after a server error.
 * Once joined, a room's waiting sends go out and its history catches up with what was missed.
 */
export class RoomJoins {
  private readonly deps: RoomJoinsDeps;
  /** Visibility asked for when this client creates a room; only the first join uses it. */
  private readonly creating = new Map<string, Visibility>();
  /** Joins to send again after a server error that was not a refusal. */
  private readonly rejoins = new Map<string, ReturnType<typeof setTimeout>>();
  private stopped = false;

  constructor(deps: RoomJoinsDeps) {
    this.deps = deps;
  }

  join(room: string, visibility?: Visibility): void {
    if (visibility) this.creating.set(room, visibility);
    this.send(room);
  }

  /** The socket (re)opened: every room in the sidebar is joined again. */
  joinAll(): void {
    for (const room of Object.keys(this.deps.store.getState().rooms)) this.send(room);
  }

  send(room: string): void {
    const visibility = this.creating.get(room);
    this.deps.write(visibility ? { type: 'join', room, visibility } : { type: 'join', room }, { kind: 'join', room });
  }

  /** The socket stops bringing the room's frames; its `left` answer is no news. */
  leave(room: string): void {
    this.deps.write({ type: 'leave', room }, { kind: 'leave', room });
  }

  joined(room: string, lastSeq: number, lastRev: number): void {
    const { store, sends, sync } = this.deps;
    const summary = store.getState().directory[room];
    // A count read before this join (or a new room's) leaves this person out: read it again.
    if (this.creating.delete(room) || summary?.member !== true || summary.members === 0) this.deps.refreshDirectory();
    store.update((state) => markJoined(state, room, lastSeq, lastRev));
    // Resend first: their acks claim any echo the catch-up below may bring.
    sends.resend(room);
    sync.catchUp(room);
  }

  /** The server's error for a join: a refusal drops the room, trouble on its side asks again later. */
  refused(room: string, code: string, message: string): void {
    const { store } = this.deps;
    const state = store.getState();
    if (!state.rooms[room] || state.rooms[room].joined) return store.update((s) => setNotice(s, message));
    // A server that is busy or failing (rate_limited, internal) has not refused the room: keep it, ask again.
    if (!REFUSED_JOIN.has(code)) {
      store.update((s) => setNotice(s, message));
      return this.rejoinLater(room);
    }
    const banned = code === 'forbidden' && message.includes('banned');
    const why = code === 'forbidden' && !banned ? 'it is private; a member can invite you' : message;
    this.deps.drop(room, `Cannot join ${room}: ${why}.`);
  }

  stop(): void {
    this.stopped = true;
    for (const timer of this.rejoins.values()) clearTimeout(timer);
    this.rejoins.clear();
  }

  /** Joins again after a pause, unless the room was joined, left or the session stopped meanwhile. */
  private rejoinLater(room: string): void {
    if (this.rejoins.has(room)) return;
    const timer = setTimeout(() => {
      this.rejoins.delete(room);
      const current = this.deps.store.getState().rooms[room];
      if (!this.stopped && current && !current.joined) this.send(room);
    }, REJOIN_DELAY_MS);
    this.rejoins.set(room, timer);
  }
}
