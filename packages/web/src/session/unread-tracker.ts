import type { ClientFrame, Message, RoomSummary } from '@pockychat/protocol';
import type { ChatStore } from '../state/store.ts';
import { anyStale, applyRoomCounts, countMessage, readUpTo, uncountDeleted } from '../state/unread.ts';

/** At most one `read` frame a second per room: the marker follows the reader, not every scroll step. */
export const READ_THROTTLE_MS = 1000;

export interface UnreadTrackerDeps {
  store: ChatStore;
  /** Writes a frame; false when the socket is down (the marker is sent again on reopen). */
  send: (frame: ClientFrame) => boolean;
  /** Reads GET /rooms again (coalesced): counts this client cannot work out alone. */
  refresh: () => void;
  /** Whether the page is on screen: a room shown in a hidden tab is not being read. */
  isVisible?: () => boolean;
  now?: () => number;
}

/**
 * Read markers and unread counts on this client: marks read what was on screen (`seen`), sends
 * the marker forward at most once a second per room, and keeps the counts (state/unread.ts) in
 * step with messages, deletes and the markers of the person's other devices.
 */
export class UnreadTracker {
  readonly #deps: UnreadTrackerDeps;
  readonly #isVisible: () => boolean;
  readonly #now: () => number;
  /** Per room: the highest seq seen here, the highest sent, when it was last sent, a timer for the next. */
  readonly #rooms = new Map<
    string,
    { wanted: number; sent: number; at: number; timer?: ReturnType<typeof setTimeout> }
  >();

  constructor(deps: UnreadTrackerDeps) {
    this.#deps = deps;
    this.#isVisible =
      deps.isVisible ?? (() => typeof document === 'undefined' || document.visibilityState === 'visible');
    this.#now = deps.now ?? (() => Date.now());
  }

  /**
   * The message of seq `seq` was on screen while the page was visible. Held until the room's
   * counts are known: sent before, the marker would move past where the person left off before
   * this client learnt where that was (the "new messages" line).
   */
  seen(room: string, seq: number): void {
    const marker = this.#marker(room);
    if (seq <= marker.wanted) return;
    marker.wanted = seq;
    if (!this.#deps.store.getState().reads[room]) return;
    this.#update((state) => readUpTo(state, room, seq));
    this.#schedule(room);
  }

  /** GET /rooms' counts; markers held for them are applied in the same update, then sent. */
  directory(rooms: readonly RoomSummary[]): void {
    this.#update((state) => {
      let next = applyRoomCounts(state, rooms);
      for (const [room, marker] of this.#rooms) next = readUpTo(next, room, marker.wanted, { staleIfUnknown: false });
      return next;
    });
    for (const room of this.#rooms.keys()) this.#schedule(room);
  }

  /** `joined`: the marker as stored; one sent from here and lost with a dropped connection goes again. */
  joined(room: string, readSeq: number | undefined): void {
    if (readSeq === undefined) return;
    const marker = this.#marker(room);
    // What this client sent before on a connection that dropped may not have been stored.
    marker.sent = readSeq;
    marker.wanted = Math.max(marker.wanted, readSeq);
    this.#update((state) => readUpTo(state, room, readSeq));
    if (marker.wanted > readSeq) this.#schedule(room);
  }

  /** Another device of the person moved the marker. */
  moved(room: string, seq: number): void {
    const marker = this.#marker(room);
    marker.wanted = Math.max(marker.wanted, seq);
    marker.sent = Math.max(marker.sent, seq);
    this.#update((state) => readUpTo(state, room, seq));
  }

  message(message: Message): void {
    const viewing = this.#deps.store.getState().activeRoom === message.room && this.#isVisible();
    this.#update((state) => countMessage(state, message, viewing));
  }

  /** `before`: the message as this client had it before the change. */
  updated(message: Message, before: Message | undefined): void {
    if (message.deleted) this.#update((state) => uncountDeleted(state, message, before));
  }

  /** The socket is back: markers that could not be written go now. */
  reopened(): void {
    for (const [room, marker] of this.#rooms) if (marker.wanted > marker.sent) this.#schedule(room);
  }

  stop(): void {
    for (const marker of this.#rooms.values()) clearTimeout(marker.timer);
  }

  #marker(room: string) {
    let marker = this.#rooms.get(room);
    if (!marker) {
      const readSeq = this.#deps.store.getState().reads[room]?.readSeq ?? 0;
      this.#rooms.set(room, (marker = { wanted: readSeq, sent: readSeq, at: -Infinity }));
    }
    return marker;
  }

  #update(fn: Parameters<ChatStore['update']>[0]): void {
    this.#deps.store.update(fn);
    if (anyStale(this.#deps.store.getState())) this.#deps.refresh();
  }

  /** Sends now if the room's last send is a second old, else once it is. */
  #schedule(room: string): void {
    const marker = this.#marker(room);
    if (marker.timer || marker.wanted <= marker.sent) return;
    const wait = marker.at + READ_THROTTLE_MS - this.#now();
    if (wait > 0) {
      marker.timer = setTimeout(() => {
        marker.timer = undefined;
        this.#flush(room);
      }, wait);
      return;
    }
    this.#flush(room);
  }

  #flush(room: string): void {
    const marker = this.#marker(room);
    if (marker.wanted <= marker.sent || !this.#deps.store.getState().reads[room]) return;
    if (!this.#deps.send({ type: 'read', room, seq: marker.wanted })) return;
    marker.sent = marker.wanted;
    marker.at = this.#now();
  }
}
