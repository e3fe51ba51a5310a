import type { Message } from '@pockychat/protocol';
import type { HttpApi } from '../api/http-api.ts';
import type { RoomState } from '../state/chat-state.ts';
import {
  closeContext,
  contextBounds,
  finishLoadingContext,
  focusMessage,
  holdsMessage,
  openContext,
  showsMessage,
  startLoadingContext,
  stopLoadingContext,
} from '../state/context-window.ts';
import { oldestSeq } from '../state/timeline.ts';
import type { ChatStore } from '../state/store.ts';
import { PAGE_SIZE } from './room-sync.ts';

/** A message to show: its id, and its seq to load the history around it. */
export interface MessageRef {
  id: string;
  seq: number;
}

/**
 * Shows a message in its context: the history around it, however far back, loaded as a window
 * beside the room's newest messages (see state/context-window.ts), then scrolled to and
 * highlighted. The window grows with older and newer pages until it meets the newest ones.
 */
export class MessageContext {
  private readonly store: ChatStore;
  private readonly http: HttpApi;
  private readonly onError: (error: unknown) => void;

  constructor(store: ChatStore, http: HttpApi, onError: (error: unknown) => void) {
    this.store = store;
    this.http = http;
    this.onError = onError;
  }

  /** Loads what is needed and asks the room view to show the message; the room is already added. */
  async open(room: string, ref: MessageRef): Promise<void> {
    const loaded = await this.firstPage(room);
    if (!loaded) return;
    if (holdsMessage(loaded, ref.id)) {
      // Shown already, or in the newest messages while an older window is open.
      return this.store.update((s) =>
        focusMessage(showsMessage(loaded, ref.id) ? s : closeContext(s, room), room, ref.id),
      );
    }
    await this.around(room, ref.seq, () => ref.id);
  }

  /**
   * Shows where the person left off, however far back: the history around the read marker
   * `readSeq`, focused on the first message by someone other than `me` after it (where the
   * "new messages" line goes).
   */
  async openAfter(room: string, readSeq: number, me: string): Promise<void> {
    if (!(await this.firstPage(room))) return;
    await this.around(room, readSeq, (newer) => (newer.find((m) => m.author.id !== me) ?? newer[0])?.id);
  }

  /** Opens the window on seq `seq` and the page either side, focused on the message `focus` picks. */
  private async around(
    room: string,
    seq: number,
    focus: (newer: readonly Message[]) => string | undefined,
  ): Promise<void> {
    try {
      const [older, newer] = await Promise.all([
        this.http.history(room, { before: seq + 1 }, PAGE_SIZE),
        this.http.history(room, { since: seq }, PAGE_SIZE),
      ]);
      const id = focus(newer);
      this.store.update((s) => {
        const opened = openContext(s, room, older, newer, PAGE_SIZE);
        return id === undefined ? opened : focusMessage(opened, room, id);
      });
    } catch (error) {
      this.onError(error);
    }
  }

  async older(room: string): Promise<void> {
    return this.load(room, 'older');
  }

  async newer(room: string): Promise<void> {
    return this.load(room, 'newer');
  }

  /** Back to the newest messages. */
  close(room: string): void {
    this.store.update((s) => closeContext(s, room));
  }

  private async load(room: string, which: 'older' | 'newer'): Promise<void> {
    const context = this.store.getState().rooms[room]?.context;
    const bounds = context && contextBounds(context);
    if (!context || !bounds || context.loading || (which === 'older' && !context.hasOlder)) return;
    this.store.update((s) => startLoadingContext(s, room, which));
    const cursor = which === 'older' ? { before: bounds.oldest } : { since: bounds.newest };
    try {
      const messages = await this.http.history(room, cursor, PAGE_SIZE);
      this.store.update((s) => finishLoadingContext(s, room, which, messages, PAGE_SIZE));
    } catch (error) {
      this.store.update((s) => stopLoadingContext(s, room));
      this.onError(error);
    }
  }

  /**
   * The room once its newest page is in (a room just joined has none yet), so the message can be
   * looked for among the messages held; undefined if the room went away meanwhile (a refused join).
   */
  private firstPage(room: string): Promise<RoomState | undefined> {
    const ready = (state: RoomState | undefined) => !state || oldestSeq(state) !== undefined || !state.hasOlder;
    return new Promise((resolve) => {
      const check = () => {
        const state = this.store.getState().rooms[room];
        if (!ready(state)) return false;
        resolve(state);
        return true;
      };
      if (check()) return;
      const unsubscribe = this.store.subscribe(() => {
        if (check()) unsubscribe();
      });
    });
  }
}
