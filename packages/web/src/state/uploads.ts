import type { ChatState, PendingFile } from './chat-state.ts';
import { addPending, markFailed } from './reconcile.ts';

/*
 * An upload is a pending message with a file: it is keyed by its clientId, held back and
 * reconciled like a text send (`applyAck` with the HTTP answer, `markFailed`, `retryPending`,
 * `discardPending`), so one rule set covers both.
 */

export interface NewUpload {
  clientId: string;
  room: string;
  createdAt: number;
  file: Omit<PendingFile, 'progress' | 'failure'>;
}

export function addUpload(state: ChatState, upload: NewUpload): ChatState {
  return addPending(state, {
    clientId: upload.clientId,
    room: upload.room,
    text: '',
    createdAt: upload.createdAt,
    status: 'sending',
    file: { ...upload.file, progress: 0 },
  });
}

/**
 * Records how much of an upload is sent. Whole percents only: progress events come many times
 * a second, and each state change re-renders the room.
 */
export function setUploadProgress(state: ChatState, clientId: string, sent: number, total: number): ChatState {
  const pending = state.pending[clientId];
  if (!pending?.file || pending.status !== 'sending' || total <= 0) return state;
  const progress = Math.floor((Math.min(sent, total) / total) * 100) / 100;
  if (progress <= pending.file.progress) return state;
  const file = { ...pending.file, progress };
  return { ...state, pending: { ...state.pending, [clientId]: { ...pending, file } } };
}

/** A refused or broken upload: shown as failed, with the reason in words. */
export function failUpload(state: ChatState, clientId: string, code: string, failure: string): ChatState {
  const next = markFailed(state, clientId, code);
  const pending = next.pending[clientId];
  if (!pending?.file) return next;
  const file = { ...pending.file, failure };
  return { ...next, pending: { ...next.pending, [clientId]: { ...pending, file } } };
}
