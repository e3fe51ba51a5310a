import type { HttpApi } from '../api/http-api.ts';
import { mergeHistory } from '../state/reconcile.ts';
import { finishLoadingOlder, startLoadingOlder } from '../state/rooms.ts';
import { contiguousSeq, newestSeq, oldestSeq } from '../state/timeline.ts';
import type { ChatStore } from '../state/store.ts';

/** Messages per history request: a screenful or two when opening a room. */
export const PAGE_SIZE = 50;
/** Larger pages when catching up, so a long absence costs few requests. */
const CATCH_UP_PAGE = 200;

/** Keeps each room's history complete: the first page, catch-up after gaps, and older pages. */
export class RoomSync {
  private readonly running = new Set<string>();
  private readonly again = new Set<string>();
  private readonly store: ChatStore;
  private readonly http: HttpApi;
  private readonly onError: (error: unknown) => void;

  constructor(store: ChatStore, http: HttpApi, onError: (error: unknown) => void) {
    this.store = store;
    this.http = http;
    this.onError = onError;
  }

  /**
   * Brings a room up to date. Calls while one runs are folded into one more pass, because
   * live messages that land during a fetch can reveal a new gap.
   */
  catchUp(room: string): void {
    if (this.running.has(room)) {
      this.again.add(room);
      return;
    }
    this.running.add(room);
    void this.run(room).finally(() => this.running.delete(room));
  }

  async loadOlder(room: string): Promise<void> {
    const state = this.store.getState().rooms[room];
    const before = state && oldestSeq(state);
    if (!state || before === undefined || !state.hasOlder || state.loadingOlder) return;
    this.store.update((s) => startLoadingOlder(s, room));
    try {
      const messages = await this.http.history(room, { before }, PAGE_SIZE);
      this.store.update((s) => finishLoadingOlder(s, room, messages, PAGE_SIZE));
    } catch (error) {
      this.store.update((s) => finishLoadingOlder(s, room, [], Number.POSITIVE_INFINITY));
      this.onError(error);
    }
  }

  private async run(room: string): Promise<void> {
    try {
      do {
        this.again.delete(room);
        await this.pass(room);
      } while (this.again.has(room));
    } catch (error) {
      this.onError(error);
    }
  }

  private async pass(room: string): Promise<void> {
    const state = this.store.getState().rooms[room];
    if (!state) return;
    if (oldestSeq(state) === undefined) return this.firstPage(room, state.lastSeq);
    for (;;) {
      const current = this.store.getState().rooms[room];
      if (!current) return;
      const since = contiguousSeq(current);
      if (since >= current.lastSeq && since >= (newestSeq(current) ?? 0)) return;
      const messages = await this.http.history(room, { since }, CATCH_UP_PAGE);
      this.store.update((s) => mergeHistory(s, room, messages));
      if (messages.length < CATCH_UP_PAGE) return;
    }
  }

  /** The newest page of a room opened for the first time. */
  private async firstPage(room: string, lastSeq: number): Promise<void> {
    if (lastSeq === 0) {
      this.store.update((s) => finishLoadingOlder(s, room, [], PAGE_SIZE));
      return;
    }
    const messages = await this.http.history(room, { before: lastSeq + 1 }, PAGE_SIZE);
    this.store.update((s) => finishLoadingOlder(s, room, messages, PAGE_SIZE));
  }
}
