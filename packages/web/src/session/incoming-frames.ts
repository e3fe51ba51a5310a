import type { ErrorFrame, Message, ServerFrame } from '@pockychat/protocol';
import type { InPageNotifier } from '../notifications/in-page-notifier.ts';
import { setPresence } from '../state/presence.ts';
import { applyMessage } from '../state/reconcile.ts';
import { noteRoleChange } from '../state/roles.ts';
import { clearTyping, setNotice, setTyping } from '../state/rooms.ts';
import type { ChatStore } from '../state/store.ts';
import { contiguousSeq } from '../state/timeline.ts';
import type { Connection } from './connection.ts';
import type { MessageChanges } from './message-changes.ts';
import type { MessageSends } from './message-sends.ts';
import type { RoomDirectory } from './room-directory.ts';
import type { RoomJoins } from './room-joins.ts';
import type { RoomSync } from './room-sync.ts';
import type { SidebarRooms } from './sidebar-rooms.ts';
import type { UnreadTracker } from './unread-tracker.ts';

/** The parts of a session that frames from the server are for. */
export interface FrameTargets {
  store: ChatStore;
  connection: Connection;
  joins: RoomJoins;
  sends: MessageSends;
  changes: MessageChanges;
  sidebar: SidebarRooms;
  directory: RoomDirectory;
  reads: UnreadTracker;
  sync: RoomSync;
  notifier: InPageNotifier | undefined;
}

/** Hands each frame from the server to the part of the session it is for; an answer settles its request first. */
export function receiveFrame(frame: ServerFrame, to: FrameTargets): void {
  switch (frame.type) {
    case 'joined':
      to.connection.settle(frame.id);
      to.joins.joined(frame.room, frame.lastSeq, frame.lastRev);
      return to.reads.joined(frame.room, frame.readSeq);
    case 'ack':
      to.connection.settle(frame.id);
      return to.sends.acked(frame);
    case 'ok':
      to.connection.settle(frame.id);
      return;
    case 'message':
      receiveMessage(frame.message, to);
      return to.reads.message(frame.message);
    case 'updated':
      return to.changes.updated(frame.message);
    case 'read':
      return to.reads.moved(frame.room, frame.seq);
    case 'likes':
      // A v2 server sends `updated` with every change of ❤️, with a rev to order it by.
      return;
    case 'typing':
      to.store.update((state) => setTyping(state, frame.room, frame.user, Date.now()));
      return to.directory.sawActive(frame.room, frame.user.id);
    case 'invited':
      return to.sidebar.invited(frame.room, frame.by);
    case 'error':
      return receiveError(frame, to);
    case 'left':
      to.connection.settle(frame.id);
      if (frame.reason === 'removed' || frame.reason === 'banned') to.sidebar.removed(frame.room, frame.reason);
      return;
    case 'reconnect':
      // `reconnect`: the server is going away; Primus notices the close and reconnects.
      return;
    case 'presence':
      return to.store.update((state) => setPresence(state, { [frame.userId]: frame.status }));
    case 'role':
      return to.store.update((state) => noteRoleChange(state, frame));
  }
}

function receiveMessage(message: Message, to: FrameTargets): void {
  to.store.update((state) => clearTyping(applyMessage(state, message), message.room, message.author.id));
  to.directory.sawActive(message.room, message.author.id);
  to.notifier?.onMessage(message);
  const room = to.store.getState().rooms[message.room];
  // A seq past a gap means frames were missed (a drop we did not notice): fetch the gap.
  if (room?.joined && contiguousSeq(room) < message.seq) to.sync.catchUp(message.room);
}

/** An error answers the request its id names; one without a request id is a notice. */
function receiveError(frame: ErrorFrame, to: FrameTargets): void {
  const { code, message } = frame;
  const request = to.connection.settle(frame.id);
  // The server ended this session (signed out elsewhere, or deactivated by an admin): ask now, not after retries.
  if (code === 'unauthenticated' && !request) void to.connection.checkSignedIn();
  switch (request?.kind) {
    case 'send':
      return to.sends.failed(request.clientId, code, message);
    case 'join':
      return to.joins.refused(request.room, code, message);
    case 'change':
      return to.changes.refused(request.what, code, message);
    case 'leave':
      return;
    case undefined:
      return to.store.update((s) => setNotice(s, message));
  }
}
