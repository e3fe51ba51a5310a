import type { HttpApi } from '../api/http-api.ts';
import { applyChanges, markSynced, mergeHistory } from '../state/reconcile.ts';
import { applyContextChanges } from '../state/context-window.ts';
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
    if (oldestSeq(state) === undefined) return this.firstPage(room, state.lastSeq, state.lastRev);
    await this.changes(room);
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

  /**
   * Every change (new messages, edits, deletes, reactions) after the room's applied rev, page by
   * page until the rev `joined` announced: nothing missed while away, and nothing applied twice,
   * since a copy replaces the one held only if its rev is newer.
   */
  private async changes(room: string): Promise<void> {
    for (;;) {
      const current = this.store.getState().rooms[room];
      if (!current || current.rev >= current.lastRev) return;
      const page = await this.http.changes(room, current.rev, CATCH_UP_PAGE);
      // A full page may have more behind it: the next one starts after its last rev.
      const full = page.messages.length >= CATCH_UP_PAGE;
      const upTo = full ? (page.messages.at(-1)?.rev ?? current.rev) : page.lastRev;
      this.store.update((s) => applyContextChanges(applyChanges(s, room, page.messages, upTo), room, page.messages));
      if (!full) return;
    }
  }

  /** The newest page of a room opened for the first time; read after `joined`, it holds every change up to lastRev. */
  private async firstPage(room: string, lastSeq: number, lastRev: number): Promise<void> {
    if (lastSeq === 0) {
      this.store.update((s) => markSynced(finishLoadingOlder(s, room, [], PAGE_SIZE), room, lastRev));
      return;
    }
    const messages = await this.http.history(room, { before: lastSeq + 1 }, PAGE_SIZE);
    this.store.update((s) => markSynced(finishLoadingOlder(s, room, messages, PAGE_SIZE), room, lastRev));
  }
}
