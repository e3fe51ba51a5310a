import type { ClientFrame, Message } from '@pockychat/protocol';
import { applyUpdated } from '../state/reconcile.ts';
import { applyContextChanges } from '../state/context-window.ts';
import { setNotice } from '../state/rooms.ts';
import type { ChatStore } from '../state/store.ts';
import type { WriteFrame } from './connection.ts';
import type { Request } from './requests.ts';
import type { UnreadTracker } from './unread-tracker.ts';

type ChangeKind = Extract<Request, { kind: 'change' }>['what'];

/**
 * Changes of messages already sent: edits, deletes and reactions. Nothing is applied on asking:
 * the server answers `ok` and broadcasts an `updated` frame with the message as changed (and a rev
 * to order it by), which every client, this one included, applies the same way.
 */
export class MessageChanges {
  private readonly store: ChatStore;
  private readonly write: WriteFrame;
  private readonly reads: UnreadTracker;
  private readonly meId: string;

  constructor(store: ChatStore, write: WriteFrame, reads: UnreadTracker, meId: string) {
    this.store = store;
    this.write = write;
    this.reads = reads;
    this.meId = meId;
  }

  toggleReaction(message: Message, emoji: string): void {
    const mine = message.reactions[emoji]?.includes(this.meId) ?? false;
    const what = mine ? 'unreact' : 'react';
    this.ask({ type: what, room: message.room, messageId: message.id, emoji }, what);
  }

  edit(message: Message, text: string): void {
    if (text === message.text) return;
    this.ask({ type: 'edit', room: message.room, messageId: message.id, text }, 'edit');
  }

  delete(message: Message): void {
    this.ask({ type: 'delete', room: message.room, messageId: message.id }, 'delete');
  }

  /** An `updated` frame: applied to the room's history and to any window of older history showing it. */
  updated(message: Message): void {
    const before = this.store.getState().rooms[message.room]?.history[message.id];
    this.store.update((state) => applyContextChanges(applyUpdated(state, message), message.room, [message]));
    this.reads.updated(message, before);
  }

  /** The server's error for a change this client asked for. */
  refused(what: ChangeKind, code: string, message: string): void {
    this.store.update((s) => setNotice(s, describeChangeError(what, code, message)));
  }

  private ask(frame: ClientFrame & { room: string; messageId: string }, what: ChangeKind): void {
    if (!this.write(frame, { kind: 'change', room: frame.room, messageId: frame.messageId, what })) {
      this.store.update((s) => setNotice(s, 'Offline: try again once reconnected.'));
    }
  }
}

function describeChangeError(what: string, code: string, message: string): string {
  if (code === 'forbidden')
    return what === 'edit' ? 'Only its author can edit a message.' : 'You cannot delete this message.';
  if (code === 'not_found') return 'That message is gone.';
  return message;
}
