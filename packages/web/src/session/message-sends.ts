import { limits, type AckFrame, type Message } from '@pockychat/protocol';
import { addPending, applyAck, discardPending, markFailed, retryPending } from '../state/reconcile.ts';
import { closeContext } from '../state/context-window.ts';
import { setNotice } from '../state/rooms.ts';
import type { ChatState, PendingMessage } from '../state/chat-state.ts';
import type { ChatStore } from '../state/store.ts';
import { newClientId } from './client-id.ts';
import type { WriteFrame } from './connection.ts';
import type { FileUploads } from './file-uploads.ts';

// Typing frames are a hint: one every few seconds while someone types is plenty.
const TYPING_THROTTLE_MS = 2500;

/**
 * Sending messages: each shows at once as pending (keyed by a clientId the client makes), goes out
 * when its room is joined, and is settled by the server's `ack` or error for that clientId. Also the
 * typing hint, which a send ends.
 */
export class MessageSends {
  private readonly lastTypingSent = new Map<string, number>();
  private readonly store: ChatStore;
  private readonly write: WriteFrame;
  private readonly uploads: FileUploads;

  constructor(store: ChatStore, write: WriteFrame, uploads: FileUploads) {
    this.store = store;
    this.write = write;
    this.uploads = uploads;
  }

  send(room: string, text: string, extra: { replyTo?: Message; mentions?: string[] } = {}): void {
    const clientId = newClientId();
    const pending: PendingMessage = { clientId, room, text, createdAt: Date.now(), status: 'sending' };
    if (extra.replyTo) pending.replyTo = replyRefOf(extra.replyTo);
    if (extra.mentions && extra.mentions.length > 0) pending.mentions = extra.mentions;
    // An own message shows at the end of the newest ones: leave an older window for them.
    this.store.update((state) => addPending(closeContext(state, room), pending));
    this.lastTypingSent.delete(room);
    this.writeSend(clientId);
  }

  retry(clientId: string): void {
    this.store.update((state) => retryPending(state, clientId));
    if (this.store.getState().pending[clientId]?.file) this.uploads.resend(clientId);
    else this.writeSend(clientId);
  }

  discard(clientId: string): void {
    if (this.store.getState().pending[clientId]?.file) return this.uploads.cancel(clientId);
    this.store.update((state) => discardPending(state, clientId));
  }

  /** The room was (re)joined: what waits to be sent there goes now, with the same clientIds. */
  resend(room: string): void {
    for (const pending of Object.values(this.store.getState().pending)) {
      if (pending.room === room) this.writeSend(pending.clientId);
    }
  }

  acked(frame: AckFrame): void {
    this.store.update((state) => applyAck(state, frame));
  }

  failed(clientId: string, code: string, message: string): void {
    // A forbidden send says why (muted until when, say): the notice shows the server's words.
    const failed = (s: ChatState) => markFailed(s, clientId, code);
    this.store.update((s) => (code === 'forbidden' ? setNotice(failed(s), message) : failed(s)));
  }

  typing(room: string): void {
    const now = Date.now();
    if (now - (this.lastTypingSent.get(room) ?? 0) < TYPING_THROTTLE_MS) return;
    if (this.write({ type: 'typing', room })) this.lastTypingSent.set(room, now);
  }

  /** Sends a pending message if its room is joined; otherwise the rejoin will send it. */
  private writeSend(clientId: string): void {
    const state = this.store.getState();
    const pending = state.pending[clientId];
    if (!pending || pending.status !== 'sending' || !state.rooms[pending.room]?.joined) return;
    // An upload travels over HTTP, whether or not the socket is up.
    if (pending.file) return;
    this.write(
      {
        type: 'send',
        room: pending.room,
        clientId,
        text: pending.text,
        clientDate: new Date(pending.createdAt).toISOString(),
        ...(pending.replyTo ? { replyTo: pending.replyTo.id } : {}),
        ...(pending.mentions ? { mentions: pending.mentions } : {}),
      },
      { kind: 'send', clientId },
    );
  }
}

function replyRefOf(message: Message): PendingMessage['replyTo'] {
  return {
    id: message.id,
    seq: message.seq,
    author: message.author,
    text: message.text.slice(0, limits.replyQuoteChars),
  };
}
