import {
  LIKE_EMOJI,
  LOBBY,
  limits,
  dmRoomName,
  isGroupDmRoom,
  type ClientFrame,
  type ErrorFrame,
  type Message,
  type ServerFrame,
  type User,
  type Visibility,
} from '@pockychat/protocol';
import { ApiError, type HttpApi } from '../api/http-api.ts';
import type { ChatSocket, ChatSocketHandlers } from '../api/chat-socket.ts';
import { FileBlobs } from '../api/file-blobs.ts';
import type { FilesApi } from '../api/files-api.ts';
import type { LinksApi } from '../api/links-api.ts';
import type { RoomsApi } from '../api/rooms-api.ts';
import type { NotificationsApi } from '../api/notifications-api.ts';
import { InPageNotifier } from '../notifications/in-page-notifier.ts';
import { NotificationPrefs } from '../notifications/notification-prefs.ts';
import type { SearchApi } from '../api/search-api.ts';
import {
  addPending,
  applyAck,
  applyMessage,
  applyUpdated,
  discardPending,
  markFailed,
  retryPending,
} from '../state/reconcile.ts';
import {
  addRoom,
  clearTyping,
  markJoined,
  removeRoom,
  roomsToAdopt,
  setActiveRoom,
  setConnection,
  setDirectory,
  setNotice,
  setTyping,
} from '../state/rooms.ts';
import { contiguousSeq } from '../state/timeline.ts';
import { applyContextChanges, clearFocus, closeContext } from '../state/context-window.ts';
import type { ChatState, PendingMessage } from '../state/chat-state.ts';
import { isDirectRoom } from '../state/room-label.ts';
import type { ChatStore } from '../state/store.ts';
import { setPresence } from '../state/presence.ts';
import { noteRoleChange } from '../state/roles.ts';
import { ActivityReporter } from './activity.ts';
import { newClientId } from './client-id.ts';
import { learnDirectPeers } from './direct-peers.ts';
import { refreshDirectPresence } from './direct-presence.ts';
import { coalesced } from './coalesced.ts';
import { FileUploads } from './file-uploads.ts';
import { MessageContext, type MessageRef } from './message-context.ts';
import { GroupMessages } from './group-messages.ts';
import { MemberSightings } from './member-sightings.ts';
import { RoomMembership } from './room-membership.ts';
import { Requests, type Request } from './requests.ts';
import { RoomSync } from './room-sync.ts';
import { UnreadTracker } from './unread-tracker.ts';
import { readSavedRooms, writeSavedRooms } from './saved-rooms.ts';

/** Answers to a join that mean the room will not be ours; any other error is the server's trouble, and passes. */
const REFUSED_JOIN: ReadonlySet<string> = new Set(['forbidden', 'not_found', 'bad_request', 'unauthenticated']);
/** How long to wait before asking again for a room the server could not join us to. */
const REJOIN_DELAY_MS = 2000;

export type SocketFactory = (handlers: ChatSocketHandlers) => Promise<ChatSocket>;

// Typing frames are a hint: one every few seconds while someone types is plenty.
const TYPING_THROTTLE_MS = 2500;

/** Drives one signed-in person's chat: turns UI intents into frames and frames into state. */
/** The HTTP APIs a session calls beside history; the optional ones are absent in tests that need none. */
export interface ChatApis {
  files: FilesApi;
  rooms: RoomsApi;
  search: SearchApi;
  notifications?: NotificationsApi;
  links?: LinksApi;
}

export class ChatSession {
  private socket: ChatSocket | undefined;
  private stopped = false;
  private readonly sync: RoomSync;
  private readonly lastTypingSent = new Map<string, number>();
  /** Rooms left on purpose; the directory does not bring them back. */
  private readonly left = new Set<string>();
  /** Visibility asked for when this client creates a room; only the first join uses it. */
  private readonly creating = new Map<string, Visibility>();
  private readonly store: ChatStore;
  private readonly http: HttpApi;
  private readonly me: User;
  private readonly onSignedOut: () => void;
  /** Files shared as messages, and the bytes of files shown. */
  readonly uploads: FileUploads;
  readonly fileBlobs: FileBlobs;
  /** Invites and membership (issue 4). */
  readonly membership: RoomMembership;
  /** Rooms being left for good: the server's `left` frame for them is no news. */
  private readonly leaving = new Set<string>();
  /** Joins to send again after a server error that was not a refusal. */
  private readonly rejoins = new Map<string, ReturnType<typeof setTimeout>>();
  /** Frames waiting for their answer, by request id. */
  private readonly requests = new Requests();
  /** Who was seen active in each room: how a join the server does not announce shows in the member count. */
  private readonly sightings: MemberSightings;
  private readonly directoryRefresh = coalesced(() => this.readDirectory());
  /** Read markers and unread counts (issue 16). */
  private readonly reads: UnreadTracker;
  /** Notification levels and preview, kept on the server (issue 16). */
  readonly notificationPrefs: NotificationPrefs | undefined;
  private readonly notifier: InPageNotifier | undefined;
  /** Presence: this tab's visibility and input, to the server. */
  private readonly activity = new ActivityReporter((frame) => this.write(frame));
  private readonly rooms: RoomsApi;
  /** Messages shown in their context, however far back (search results, quoted messages). */
  readonly context: MessageContext;
  readonly search: SearchApi;
  /** Invite links (making, listing, revoking, joining by one); absent in tests that need none. */
  readonly links: LinksApi | undefined;
  /** Group DMs: their people, and starting one. */
  readonly groups: GroupMessages;

  constructor(store: ChatStore, http: HttpApi, me: User, onSignedOut: () => void, apis: ChatApis) {
    const { files, rooms, search, notifications, links } = apis;
    this.store = store;
    this.http = http;
    this.me = me;
    this.onSignedOut = onSignedOut;
    this.fileBlobs = new FileBlobs(files);
    this.uploads = new FileUploads(store, files, this.fileBlobs);
    this.sync = new RoomSync(store, http, (error) => this.report(error));
    this.membership = new RoomMembership(store, rooms, me);
    this.rooms = rooms;
    this.sightings = new MemberSightings(me.id);
    this.reads = new UnreadTracker({
      store,
      send: (frame) => this.write(frame),
      refresh: () => void this.refreshDirectory(),
    });
    if (notifications && typeof document !== 'undefined') {
      this.notificationPrefs = new NotificationPrefs(notifications);
      this.notifier = new InPageNotifier(me, this.notificationPrefs, (room) => this.showRoom(room));
    }
    this.context = new MessageContext(store, http, (error) => this.report(error));
    this.search = search;
    this.links = links;
    this.groups = new GroupMessages(store, links);
  }

  async start(connect: SocketFactory): Promise<void> {
    const saved = readSavedRooms(this.me.id);
    for (const room of saved.left) this.left.add(room);
    // Without them (an older server, a blip) the defaults stand: nothing to tell the user.
    void this.notificationPrefs?.load().catch(() => undefined);
    this.store.update((state) => {
      let next: ChatState = { ...state, me: this.me, connection: 'connecting' };
      for (const room of saved.rooms) next = addRoom(next, room);
      return setActiveRoom(next, saved.active);
    });
    const socket = await connect({
      frame: (frame) => this.receive(frame),
      open: () => this.onOpen(),
      down: (attempt) => this.onDown(attempt),
    });
    if (this.stopped) socket.close();
    else this.socket = socket;
    if (this.stopped) return;
    this.activity.start();
    // The socket may have opened before it was ours to write on.
    if (this.store.getState().connection === 'online') this.activity.report();
  }

  stop(): void {
    this.stopped = true;
    this.activity.stop();
    for (const timer of this.rejoins.values()) clearTimeout(timer);
    this.rejoins.clear();
    this.reads.stop();
    this.socket?.close();
    this.uploads.stop();
    this.notifier?.stop();
  }

  async signOut(): Promise<void> {
    this.stop();
    await this.http.logout().catch(() => undefined);
    this.onSignedOut();
  }

  joinRoom(name: string, visibility?: Visibility): void {
    if (visibility) this.creating.set(name, visibility);
    this.left.delete(name);
    this.membership.take(name);
    this.store.update((state) => setNotice(setActiveRoom(addRoom(state, name), name), null));
    this.saveRooms();
    this.sendJoin(name);
  }

  openDirect(other: User): void {
    if (other.id === this.me.id) return;
    this.store.update((state) => ({ ...state, users: { ...state.users, [other.id]: other } }));
    this.joinRoom(dmRoomName(this.me.id, other.id));
    void refreshDirectPresence(this.store, this.rooms, this.me.id);
  }

  /** Starts a group DM with these people (or opens theirs) and shows it. */
  async startGroupMessage(userIds: string[]): Promise<void> {
    this.joinRoom(await this.groups.start(userIds));
  }

  /** Joins the room of an invite link and shows it; the link's refusal is the caller's to show. */
  async joinByLink(code: string): Promise<string> {
    if (!this.links) throw new Error('invite links are not available');
    const { room } = await this.links.join(code);
    this.joinRoom(room);
    return room;
  }

  leaveRoom(name: string): void {
    if (name === LOBBY) return;
    this.write({ type: 'leave', room: name }, { kind: 'leave', room: name });
    this.left.add(name);
    this.store.update((state) => removeRoom(state, name));
    this.saveRooms();
  }

  /** Ends membership (a private room then needs a new invite); the sidebar drops the room. */
  async leaveForGood(name: string): Promise<void> {
    this.leaving.add(name);
    try {
      await this.membership.leave(name);
    } catch (error) {
      // not_found: no longer a member anyway (removed meanwhile); the room goes all the same.
      if (!(error instanceof ApiError && error.code === 'not_found')) {
        this.leaving.delete(name);
        return this.report(error);
      }
    }
    this.store.update((state) => removeRoom(state, name));
    this.saveRooms();
    void this.refreshDirectory();
  }

  /** A room a notification (or a link) names: shown if in the sidebar, else joined. */
  openRoom(name: string): void {
    if (this.store.getState().rooms[name]) this.showRoom(name);
    else this.joinRoom(name);
  }

  showRoom(name: string): void {
    this.store.update((state) => setActiveRoom(state, name));
    this.saveRooms();
  }

  sendMessage(room: string, text: string, extra: { replyTo?: Message; mentions?: string[] } = {}): void {
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

  /** A like is the reaction ❤️. */
  toggleLike(message: Message): void {
    this.toggleReaction(message, LIKE_EMOJI);
  }

  toggleReaction(message: Message, emoji: string): void {
    const mine = message.reactions[emoji]?.includes(this.me.id) ?? false;
    const what = mine ? 'unreact' : 'react';
    this.change({ type: what, room: message.room, messageId: message.id, emoji }, what);
  }

  edit(message: Message, text: string): void {
    if (text === message.text) return;
    this.change({ type: 'edit', room: message.room, messageId: message.id, text }, 'edit');
  }

  delete(message: Message): void {
    this.change({ type: 'delete', room: message.room, messageId: message.id }, 'delete');
  }

  typing(room: string): void {
    const now = Date.now();
    if (now - (this.lastTypingSent.get(room) ?? 0) < TYPING_THROTTLE_MS) return;
    if (this.write({ type: 'typing', room })) this.lastTypingSent.set(room, now);
  }

  /** The message of seq `seq` in `room` was on screen while the page was visible. */
  markSeen(room: string, seq: number): void {
    this.reads.seen(room, seq);
  }

  loadOlder(room: string): void {
    void this.sync.loadOlder(room);
  }

  /** Opens the message's room (joining it if needed) and shows the message there, in its context. */
  openMessage(message: MessageRef & { room: string }): void {
    if (this.store.getState().rooms[message.room]) this.showRoom(message.room);
    else this.joinRoom(message.room);
    void this.context.open(message.room, message);
  }

  /** Shows where the person left off in `room` (read marker `readSeq`), loading history back to it. */
  openFirstUnread(room: string, readSeq: number): void {
    void this.context.openAfter(room, readSeq, this.me.id);
  }

  /** The room view scrolled to the message asked for. */
  messageShown(room: string, serial: number): void {
    this.store.update((state) => clearFocus(state, room, serial));
  }

  /** Refreshes the room directory, and shows rooms someone else made us a member of (a DM). */
  refreshDirectory(): Promise<void> {
    return this.directoryRefresh();
  }

  private async readDirectory(): Promise<void> {
    try {
      const rooms = await this.http.rooms();
      this.store.update((state) => setDirectory(state, rooms));
      this.reads.directory(rooms);
    } catch {
      return; // The directory is a convenience; the next refresh will try again.
    }
    const adopted = roomsToAdopt(this.store.getState(), this.left);
    if (adopted.length > 0) {
      this.store.update((state) => adopted.reduce(addRoom, state));
      this.saveRooms();
      for (const room of adopted) this.sendJoin(room);
    }
    await learnDirectPeers(this.store, this.rooms, this.me.id);
  }

  dismissNotice(): void {
    this.store.update((state) => setNotice(state, null));
  }

  private onOpen(): void {
    // Answers to frames of the connection that dropped will never come.
    this.requests.clear();
    this.store.update((state) => setConnection(state, 'online'));
    for (const room of Object.keys(this.store.getState().rooms)) this.sendJoin(room);
    void this.refreshDirectory();
    void this.membership.refreshInvites();
    this.reads.reopened();
    this.activity.report();
    void refreshDirectPresence(this.store, this.rooms, this.me.id);
    void this.groups.refresh();
  }

  private onDown(attempt: number): void {
    this.store.update((state) => setConnection(state, 'reconnecting'));
    // A refused upgrade looks like a network failure; after a few, ask whether the token still works.
    if (attempt === 3 || attempt % 10 === 0) void this.checkSignedIn();
  }

  private async checkSignedIn(): Promise<void> {
    // A stopped session's socket was closed on purpose (a guest became an account): not a sign-out.
    if (this.stopped) return;
    try {
      await this.http.me();
    } catch (error) {
      if (error instanceof ApiError && error.status === 401 && !this.stopped) await this.signOut();
    }
  }

  /** Joins again after a pause, unless the room was joined, left or the session stopped meanwhile. */
  private rejoinLater(room: string): void {
    if (this.rejoins.has(room)) return;
    const timer = setTimeout(() => {
      this.rejoins.delete(room);
      const current = this.store.getState().rooms[room];
      if (!this.stopped && current && !current.joined) this.sendJoin(room);
    }, REJOIN_DELAY_MS);
    this.rejoins.set(room, timer);
  }

  private sendJoin(room: string): void {
    const visibility = this.creating.get(room);
    this.write(visibility ? { type: 'join', room, visibility } : { type: 'join', room }, { kind: 'join', room });
  }

  /** A change of a message: the server's answer is `ok` (an `updated` frame carries the change itself) or an error. */
  private change(
    frame: ClientFrame & { room: string; messageId: string },
    what: Extract<Request, { kind: 'change' }>['what'],
  ) {
    if (!this.write(frame, { kind: 'change', room: frame.room, messageId: frame.messageId, what })) {
      this.store.update((s) => setNotice(s, 'Offline: try again once reconnected.'));
    }
  }

  /** Writes a frame; one that needs an answer carries a fresh request id, matched when the answer comes. */
  private write(frame: ClientFrame, request?: Request): boolean {
    if (!this.socket) return false;
    if (!request) return this.socket.send(frame);
    const id = this.requests.issue(request);
    const sent = this.socket.send({ ...frame, id });
    if (!sent) this.requests.drop(id);
    return sent;
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

  private receive(frame: ServerFrame): void {
    switch (frame.type) {
      case 'joined':
        this.requests.settle(frame.id);
        this.onJoined(frame.room, frame.lastSeq, frame.lastRev);
        return this.reads.joined(frame.room, frame.readSeq);
      case 'ack':
        this.requests.settle(frame.id);
        return this.store.update((state) => applyAck(state, frame));
      case 'ok':
        this.requests.settle(frame.id);
        return;
      case 'message':
        this.onMessage(frame.message);
        return this.reads.message(frame.message);
      case 'updated': {
        const before = this.store.getState().rooms[frame.message.room]?.history[frame.message.id];
        this.store.update((state) =>
          applyContextChanges(applyUpdated(state, frame.message), frame.message.room, [frame.message]),
        );
        return this.reads.updated(frame.message, before);
      }
      case 'read':
        return this.reads.moved(frame.room, frame.seq);
      case 'likes':
        // A v2 server sends `updated` with every change of ❤️, with a rev to order it by.
        return;
      case 'typing':
        this.store.update((state) => setTyping(state, frame.room, frame.user, Date.now()));
        return this.sawActive(frame.room, frame.user.id);
      case 'invited':
        return this.onInvited(frame.room, frame.by);
      case 'error':
        return this.onError(frame);
      case 'left':
        this.requests.settle(frame.id);
        if (frame.reason === 'removed' || frame.reason === 'banned') this.onRemoved(frame.room, frame.reason);
        return;
      case 'reconnect':
        // `reconnect`: the server is going away; Primus notices the close and reconnects.
        return;
      case 'presence':
        return this.store.update((state) => setPresence(state, { [frame.userId]: frame.status }));
      case 'role':
        return this.store.update((state) => noteRoleChange(state, frame));
    }
  }

  private onJoined(room: string, lastSeq: number, lastRev: number): void {
    const summary = this.store.getState().directory[room];
    // A count read before this join (or a new room's) leaves this person out: read it again.
    if (this.creating.delete(room) || summary?.member !== true || summary.members === 0) void this.refreshDirectory();
    this.store.update((state) => markJoined(state, room, lastSeq, lastRev));
    // Resend first: their acks claim any echo the catch-up below may bring.
    for (const pending of Object.values(this.store.getState().pending)) {
      if (pending.room === room) this.writeSend(pending.clientId);
    }
    this.sync.catchUp(room);
  }

  private onMessage(message: Message): void {
    this.store.update((state) => clearTyping(applyMessage(state, message), message.room, message.author.id));
    this.sawActive(message.room, message.author.id);
    this.notifier?.onMessage(message);
    const room = this.store.getState().rooms[message.room];
    // A seq past a gap means frames were missed (a drop we did not notice): fetch the gap.
    if (room?.joined && contiguousSeq(room) < message.seq) this.sync.catchUp(message.room);
  }

  /** Someone posted or typed in a room: a new face there may be a member the count has not caught up with. */
  private sawActive(room: string, userId: string): void {
    const counted = this.store.getState().directory[room]?.members;
    if (this.sightings.saw(room, userId, counted)) void this.refreshDirectory();
  }

  /** A DM someone opened with us shows up at once; an invite to a named room waits for a Join. */
  private onInvited(room: string, by: User): void {
    if (!isDirectRoom(room)) return this.membership.invited({ room, by });
    if (isGroupDmRoom(room)) void this.groups.refresh();
    if (this.left.delete(room)) this.saveRooms();
    this.store.update((state) => ({ ...addRoom(state, room), users: { ...state.users, [by.id]: by } }));
    this.saveRooms();
    this.sendJoin(room);
    void refreshDirectPresence(this.store, this.rooms, this.me.id);
  }

  /** Removed or banned by the room's owner or a moderator, or left for good on another device. */
  private onRemoved(room: string, reason: 'removed' | 'banned' = 'removed'): void {
    if (this.leaving.has(room) || !this.store.getState().rooms[room]) return;
    const notice = reason === 'banned' ? `You were banned from ${room}.` : `You are no longer a member of ${room}.`;
    this.store.update((state) => setNotice(removeRoom(state, room), notice));
    this.saveRooms();
  }

  /** An error answers the request its id names; one without a request id is a notice. */
  private onError(frame: ErrorFrame): void {
    const { code, message } = frame;
    const request = this.requests.settle(frame.id);
    // The server ended this session (signed out elsewhere, or deactivated by an admin): ask now, not after retries.
    if (code === 'unauthenticated' && !request) void this.checkSignedIn();
    if (request?.kind === 'send') {
      // A forbidden send says why (muted until when, say): the notice shows the server's words.
      const failed = (s: ChatState) => markFailed(s, request.clientId, code);
      return this.store.update((s) => (code === 'forbidden' ? setNotice(failed(s), message) : failed(s)));
    }
    if (request?.kind === 'join') return this.onJoinRefused(request.room, code, message);
    if (request?.kind === 'change')
      return this.store.update((s) => setNotice(s, describeChangeError(request.what, code, message)));
    if (request?.kind === 'leave') return;
    this.store.update((s) => setNotice(s, message));
  }

  private onJoinRefused(ref: string, code: string, message: string): void {
    const state = this.store.getState();
    if (state.rooms[ref] && !state.rooms[ref].joined) {
      // A server that is busy or failing (rate_limited, internal) has not refused the room: keep it, ask again.
      if (!REFUSED_JOIN.has(code)) {
        this.store.update((s) => setNotice(s, message));
        return this.rejoinLater(ref);
      }
      // A refused join: the room is not ours to show.
      const banned = code === 'forbidden' && message.includes('banned');
      const why = code === 'forbidden' && !banned ? 'it is private; a member can invite you' : message;
      this.store.update((s) => setNotice(removeRoom(s, ref), `Cannot join ${ref}: ${why}.`));
      this.saveRooms();
      return;
    }
    this.store.update((s) => setNotice(s, message));
  }

  private report(error: unknown): void {
    const text = error instanceof Error ? error.message : String(error);
    this.store.update((state) => setNotice(state, text));
  }

  private saveRooms(): void {
    const state = this.store.getState();
    writeSavedRooms(this.me.id, {
      rooms: Object.keys(state.rooms),
      active: state.activeRoom ?? LOBBY,
      left: [...this.left],
    });
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

function describeChangeError(what: string, code: string, message: string): string {
  if (code === 'forbidden')
    return what === 'edit' ? 'Only its author can edit a message.' : 'You cannot delete this message.';
  if (code === 'not_found') return 'That message is gone.';
  return message;
}
