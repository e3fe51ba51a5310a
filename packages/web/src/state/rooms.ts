import { dmParticipants, type Message, type RoomSummary, type User } from '@pockychat/protocol';
import { emptyRoom, type ChatState, type ConnectionStatus } from './chat-state.ts';
import { mergeHistory, rememberUsers, withRoom } from './reconcile.ts';
import { omitKey } from './record-utils.ts';

/** How long a `typing` frame keeps its author listed as typing. */
export const TYPING_TTL_MS = 4000;

export function addRoom(state: ChatState, name: string): ChatState {
  if (state.rooms[name]) return state;
  return withRoom(state, emptyRoom(name));
}

export function removeRoom(state: ChatState, name: string): ChatState {
  if (!state.rooms[name]) return state;
  const rooms = omitKey(state.rooms, name);
  const activeRoom = state.activeRoom === name ? (Object.keys(rooms)[0] ?? null) : state.activeRoom;
  return { ...state, rooms, activeRoom };
}

export function setActiveRoom(state: ChatState, name: string): ChatState {
  if (!state.rooms[name]) return state;
  return { ...state, activeRoom: name };
}

export function markJoined(state: ChatState, name: string, lastSeq: number, lastRev: number): ChatState {
  const room = state.rooms[name];
  if (!room) return state;
  return withRoom(state, {
    ...room,
    joined: true,
    lastSeq: Math.max(room.lastSeq, lastSeq),
    lastRev: Math.max(room.lastRev, lastRev),
  });
}

export function setConnection(state: ChatState, connection: ConnectionStatus): ChatState {
  if (state.connection === connection) return state;
  // A dropped connection loses every subscription; rooms must be joined again.
  if (connection === 'online') return { ...state, connection };
  const rooms = Object.fromEntries(
    Object.entries(state.rooms).map(([name, room]) => [name, { ...room, joined: false, typing: {} }]),
  );
  return { ...state, connection, rooms };
}

export function setTyping(state: ChatState, roomName: string, user: User, now: number): ChatState {
  const room = state.rooms[roomName];
  if (!room || user.id === state.me?.id) return state;
  const typing = { ...room.typing, [user.id]: { user, until: now + TYPING_TTL_MS } };
  return withRoom(rememberUsers(state, [user]), { ...room, typing });
}

export function clearTyping(state: ChatState, roomName: string, userId: string): ChatState {
  const room = state.rooms[roomName];
  if (!room || !(userId in room.typing)) return state;
  return withRoom(state, { ...room, typing: omitKey(room.typing, userId) });
}

export function startLoadingOlder(state: ChatState, roomName: string): ChatState {
  const room = state.rooms[roomName];
  if (!room || room.loadingOlder) return state;
  return withRoom(state, { ...room, loadingOlder: true });
}

/** Merges a `before` page; a short page, or one reaching seq 1, means nothing older exists. */
export function finishLoadingOlder(state: ChatState, roomName: string, messages: Message[], limit: number): ChatState {
  const merged = mergeHistory(state, roomName, messages);
  const room = merged.rooms[roomName];
  if (!room) return merged;
  const reachedStart = messages.length < limit || messages.some((m) => m.seq <= 1);
  return withRoom(merged, { ...room, loadingOlder: false, hasOlder: room.hasOlder && !reachedStart });
}

export function setNotice(state: ChatState, notice: string | null): ChatState {
  return state.notice === notice ? state : { ...state, notice };
}

export function setDirectory(state: ChatState, rooms: RoomSummary[]): ChatState {
  return { ...state, directory: Object.fromEntries(rooms.map((room) => [room.name, room])) };
}

/** A room's member count from a fresher source than the directory (its member list). */
export function setMemberCount(state: ChatState, room: string, members: number): ChatState {
  const summary = state.directory[room];
  if (!summary || summary.members === members) return state;
  return { ...state, directory: { ...state.directory, [room]: { ...summary, members } } };
}

/**
 * Rooms of the directory to show without being asked: the person is a member, joined on another
 * device, as a guest before signing in, or added by someone else (a DM). A server without the
 * `member` flag lists private rooms and DMs only to members. Rooms closed on purpose stay closed.
 */
export function roomsToAdopt(state: ChatState, dismissed: ReadonlySet<string>): string[] {
  return Object.values(state.directory)
    .filter((room) => room.member ?? (room.visibility === 'private' || dmParticipants(room.name) !== undefined))
    .map((room) => room.name)
    .filter((name) => !(name in state.rooms) && !dismissed.has(name));
}
