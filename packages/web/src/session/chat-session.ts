import { LIKE_EMOJI, type Message, type User, type Visibility } from '@pockychat/protocol';
import type { HttpApi } from '../api/http-api.ts';
import type { ChatSocket, ChatSocketHandlers } from '../api/chat-socket.ts';
import { FileBlobs } from '../api/file-blobs.ts';
import type { FilesApi } from '../api/files-api.ts';
import type { LinksApi } from '../api/links-api.ts';
import type { RoomsApi } from '../api/rooms-api.ts';
import type { NotificationsApi } from '../api/notifications-api.ts';
import type { SearchApi } from '../api/search-api.ts';
import { InPageNotifier } from '../notifications/in-page-notifier.ts';
import { NotificationPrefs } from '../notifications/notification-prefs.ts';
import { clearFocus } from '../state/context-window.ts';
import { setNotice } from '../state/rooms.ts';
import type { ChatStore } from '../state/store.ts';
import { ActivityReporter } from './activity.ts';
import { Connection } from './connection.ts';
import { refreshDirectPresence } from './direct-presence.ts';
import { FileUploads } from './file-uploads.ts';
import { GroupMessages } from './group-messages.ts';
import { receiveFrame, type FrameTargets } from './incoming-frames.ts';
import { MessageChanges } from './message-changes.ts';
import { MessageContext, type MessageRef } from './message-context.ts';
import { MessageSends } from './message-sends.ts';
import { RoomDirectory } from './room-directory.ts';
import { RoomJoins } from './room-joins.ts';
import { RoomMembership } from './room-membership.ts';
import { RoomSync } from './room-sync.ts';
import { SidebarRooms } from './sidebar-rooms.ts';
import { UnreadTracker } from './unread-tracker.ts';

export type SocketFactory = (handlers: ChatSocketHandlers) => Promise<ChatSocket>;

/** The HTTP APIs a session calls beside history; the optional ones are absent in tests that need none. */
export interface ChatApis {
  files: FilesApi;
  rooms: RoomsApi;
  search: SearchApi;
  notifications?: NotificationsApi;
  links?: LinksApi;
}

/**
 * Drives one signed-in person's chat: turns UI intents into frames and frames into state. A facade:
 * each concern is a part of its own (joins, sends, changes, the sidebar, the directory, read
 * markers), wired together here and reached through these methods.
 */
export class ChatSession {
  /** Files shared as messages, and the bytes of files shown. */
  readonly uploads: FileUploads;
  readonly fileBlobs: FileBlobs;
  /** Invites and membership (issue 4). */
  readonly membership: RoomMembership;
  /** Notification levels and preview, kept on the server (issue 16). */
  readonly notificationPrefs: NotificationPrefs | undefined;
  /** Messages shown in their context, however far back (search results, quoted messages). */
  readonly context: MessageContext;
  readonly search: SearchApi;
  /** Invite links (making, listing, revoking, joining by one); absent in tests that need none. */
  readonly links: LinksApi | undefined;
  /** Group DMs: their people, and starting one. */
  readonly groups: GroupMessages;

  private readonly store: ChatStore;
  private readonly http: HttpApi;
  private readonly me: User;
  private readonly onSignedOut: () => void;
  private readonly rooms: RoomsApi;
  private readonly connection: Connection;
  private readonly sync: RoomSync;
  private readonly sends: MessageSends;
  private readonly changes: MessageChanges;
  private readonly joins: RoomJoins;
  private readonly sidebar: SidebarRooms;
  private readonly directory: RoomDirectory;
  /** Read markers and unread counts (issue 16). */
  private readonly reads: UnreadTracker;
  private readonly notifier: InPageNotifier | undefined;
  /** Presence: this tab's visibility and input, to the server. */
  private readonly activity: ActivityReporter;
  private readonly frameTargets: FrameTargets;

  constructor(store: ChatStore, http: HttpApi, me: User, onSignedOut: () => void, apis: ChatApis) {
    const { files, rooms, search, notifications, links } = apis;
    const report = (error: unknown) => this.report(error);
    const refreshDirectory = () => void this.refreshDirectory();
    this.store = store;
    this.http = http;
    this.me = me;
    this.onSignedOut = onSignedOut;
    this.rooms = rooms;
    this.search = search;
    this.links = links;
    this.connection = new Connection(store, http, () => this.signOut());
    const write = this.connection.write;
    this.activity = new ActivityReporter(write);
    this.fileBlobs = new FileBlobs(files);
    this.uploads = new FileUploads(store, files, this.fileBlobs);
    this.sync = new RoomSync(store, http, report);
    this.membership = new RoomMembership(store, rooms, me);
    this.groups = new GroupMessages(store, links);
    this.context = new MessageContext(store, http, report);
    this.reads = new UnreadTracker({ store, send: write, refresh: refreshDirectory });
    if (notifications && typeof document !== 'undefined') {
      this.notificationPrefs = new NotificationPrefs(notifications);
      this.notifier = new InPageNotifier(me, this.notificationPrefs, (room) => this.showRoom(room));
    }
    this.sends = new MessageSends(store, write, this.uploads);
    this.changes = new MessageChanges(store, write, this.reads, me.id);
    const drop = (room: string, notice: string) => this.sidebar.drop(room, notice);
    this.joins = new RoomJoins({ store, write, sync: this.sync, sends: this.sends, refreshDirectory, drop });
    const { membership, groups, joins } = this;
    this.sidebar = new SidebarRooms({ store, me, joins, membership, groups, rooms, refreshDirectory, report });
    this.directory = new RoomDirectory({ store, http, rooms, meId: me.id, reads: this.reads, sidebar: this.sidebar });
    const { connection, sends, changes, sidebar, directory, reads, sync, notifier } = this;
    this.frameTargets = { store, connection, joins, sends, changes, sidebar, directory, reads, sync, notifier };
  }

  async start(connect: SocketFactory): Promise<void> {
    // Without them (an older server, a blip) the defaults stand: nothing to tell the user.
    void this.notificationPrefs?.load().catch(() => undefined);
    const restore = this.sidebar.restore();
    this.store.update((state) => restore({ ...state, me: this.me, connection: 'connecting' }));
    const socket = await connect({
      frame: (frame) => receiveFrame(frame, this.frameTargets),
      open: () => this.onOpen(),
      down: (attempt) => this.connection.down(attempt),
    });
    if (!this.connection.attach(socket)) return;
    this.activity.start();
    // The socket may have opened before it was ours to write on.
    if (this.store.getState().connection === 'online') this.activity.report();
  }

  stop(): void {
    this.activity.stop();
    this.joins.stop();
    this.reads.stop();
    this.connection.close();
    this.uploads.stop();
    this.notifier?.stop();
  }

  async signOut(): Promise<void> {
    this.stop();
    await this.http.logout().catch(() => undefined);
    this.onSignedOut();
  }

  joinRoom(name: string, visibility?: Visibility): void {
    this.sidebar.join(name, visibility);
  }

  openDirect(other: User): void {
    this.sidebar.openDirect(other);
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
    this.sidebar.leave(name);
  }

  /** Ends membership (a private room then needs a new invite); the sidebar drops the room. */
  leaveForGood(name: string): Promise<void> {
    return this.sidebar.leaveForGood(name);
  }

  /** A room a notification (or a link) names: shown if in the sidebar, else joined. */
  openRoom(name: string): void {
    this.sidebar.open(name);
  }

  showRoom(name: string): void {
    this.sidebar.show(name);
  }

  sendMessage(room: string, text: string, extra: { replyTo?: Message; mentions?: string[] } = {}): void {
    this.sends.send(room, text, extra);
  }

  retry(clientId: string): void {
    this.sends.retry(clientId);
  }

  discard(clientId: string): void {
    this.sends.discard(clientId);
  }

  /** A like is the reaction ❤️. */
  toggleLike(message: Message): void {
    this.changes.toggleReaction(message, LIKE_EMOJI);
  }

  toggleReaction(message: Message, emoji: string): void {
    this.changes.toggleReaction(message, emoji);
  }

  edit(message: Message, text: string): void {
    this.changes.edit(message, text);
  }

  delete(message: Message): void {
    this.changes.delete(message);
  }

  typing(room: string): void {
    this.sends.typing(room);
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
    this.openRoom(message.room);
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
    return this.directory.refresh();
  }

  dismissNotice(): void {
    this.store.update((state) => setNotice(state, null));
  }

  private onOpen(): void {
    this.connection.opened();
    this.joins.joinAll();
    void this.refreshDirectory();
    void this.membership.refreshInvites();
    this.reads.reopened();
    this.activity.report();
    void refreshDirectPresence(this.store, this.rooms, this.me.id);
    void this.groups.refresh();
  }

  private report(error: unknown): void {
    const text = error instanceof Error ? error.message : String(error);
    this.store.update((state) => setNotice(state, text));
  }
}
