import type { RoomReads } from './unread.ts';
import type { Message, PresenceStatus, ReplyRef, RoomSummary, User } from '@pockychat/protocol';

/** A message this client sent that the server has not acknowledged yet, keyed by its clientId. */
export interface PendingMessage {
  clientId: string;
  room: string;
  text: string;
  /** Local creation time (epoch ms); orders pending messages and is sent as `clientDate`. */
  createdAt: number;
  status: 'sending' | 'failed';
  /** Why the server refused it (error frame code), when failed. */
  error?: string;
  /** Set for an upload: the message carries a file, sent over HTTP rather than as a frame. */
  file?: PendingFile;
  /** The message this one answers, shown quoted above it. */
  replyTo?: ReplyRef;
  /** User ids the text mentions. */
  mentions?: string[];
}

/** What the UI shows of a file being uploaded; the bytes stay with the uploader, outside the state. */
export interface PendingFile {
  name: string;
  type: string;
  size: number;
  /** Share of the bytes sent so far, 0 to 1. */
  progress: number;
  /** Known for a recorded GIF, so its box can be reserved before the preview decodes. */
  width?: number;
  height?: number;
  /** Why it failed, in words, when the code alone says too little (the size limit, say). */
  failure?: string;
}

export interface TypingEntry {
  user: User;
  /** Epoch ms after which the indicator is stale. */
  until: number;
}

export interface RoomState {
  name: string;
  /** `Chat.history` of the room: every message known, keyed by message id. */
  history: Record<string, Message>;
  /**
   * Own messages that arrived (live or in a history page) while an own send in this room
   * was still unacknowledged. They may be the echo of that send, which the ack will name;
   * showing them now would show one message twice (pending bubble + history).
   */
  unclaimed: Record<string, Message>;
  /** Server's last seq from the latest `joined` frame; 0 before the first join. */
  lastSeq: number;
  /** Server's last rev from the latest `joined` frame: catch-up is done once `rev` reaches it. */
  lastRev: number;
  /**
   * Every change of the room up to this rev is applied to the loaded window: the `changedSince`
   * of the next catch-up. 0 before the first page.
   */
  rev: number;
  joined: boolean;
  /** False once a `before` page came back short or reached seq 1. */
  hasOlder: boolean;
  loadingOlder: boolean;
  typing: Record<string, TypingEntry>;
  /**
   * A window of older history shown instead of the newest messages (a search result or a quoted
   * message far back); live messages still go to `history`. Absent: the room shows `history`.
   */
  context?: ContextWindow;
  /** A message to scroll to and highlight once shown; `serial` tells one request from the next. */
  focus?: { messageId: string; serial: number };
}

/** Messages around one far back in a room, not joined up with the newest ones yet. */
export interface ContextWindow {
  messages: Record<string, Message>;
  hasOlder: boolean;
  loading: 'older' | 'newer' | null;
}

export type ConnectionStatus = 'connecting' | 'online' | 'reconnecting' | 'offline';

export interface ChatState {
  me: User | null;
  connection: ConnectionStatus;
  /** Rooms this client has joined, keyed by name; insertion order is sidebar order. */
  rooms: Record<string, RoomState>;
  activeRoom: string | null;
  /** Pending (unacknowledged or refused) messages of every room, keyed by clientId. */
  pending: Record<string, PendingMessage>;
  /** Names of users seen anywhere, to label DM rooms. */
  users: Record<string, User>;
  /** Last room-level error to show (forbidden join, say). */
  notice: string | null;
  /** `GET /rooms`: public rooms and the caller's rooms, by name. */
  directory: Record<string, RoomSummary>;
  /** Rooms someone invited this person to, not joined nor dismissed yet, by room name. */
  invites: Record<string, RoomInvite>;
  /** Read markers and unread counts of the person's rooms, by room name (unread.ts). */
  reads: Record<string, RoomReads>;
  /** Online / away / offline of the users seen in members lists and DMs, live from `presence` frames. */
  presence: Record<string, PresenceStatus>;
  /** The participants' ids of each group DM (gdm:<id>) the caller is in, to name it. */
  groupDms: Record<string, string[]>;
  /** The caller's role changes told live by `role` frames, by room name (roles.ts). */
  roleChanges: Record<string, { role: 'moderator' | 'member'; count: number }>;
}

/** An invite to a named room (`GET /invites`, or an `invited` frame). */
export interface RoomInvite {
  room: string;
  by: User;
}

export function initialChatState(): ChatState {
  return {
    me: null,
    connection: 'connecting',
    rooms: {},
    activeRoom: null,
    pending: {},
    users: {},
    notice: null,
    directory: {},
    invites: {},
    reads: {},
    presence: {},
    groupDms: {},
    roleChanges: {},
  };
}

export function emptyRoom(name: string): RoomState {
  return {
    name,
    history: {},
    unclaimed: {},
    lastSeq: 0,
    lastRev: 0,
    rev: 0,
    joined: false,
    hasOlder: true,
    loadingOlder: false,
    typing: {},
  };
}
