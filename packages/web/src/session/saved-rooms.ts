import { LOBBY } from '@pockychat/protocol';

// Which rooms a person had open, per user, so a reload brings the same sidebar back.
const roomsKey = (userId: string) => `pockychat.rooms.${userId}`;
const activeKey = (userId: string) => `pockychat.active.${userId}`;
const leftKey = (userId: string) => `pockychat.left.${userId}`;

export interface SavedRooms {
  rooms: string[];
  active: string;
  /** Rooms left on purpose, not to be brought back when the directory lists them. */
  left: string[];
}

export function readSavedRooms(userId: string): SavedRooms {
  const rooms = parseList(safeGet(roomsKey(userId)));
  const withLobby = rooms.includes(LOBBY) ? rooms : [LOBBY, ...rooms];
  const active = safeGet(activeKey(userId)) ?? LOBBY;
  const left = parseList(safeGet(leftKey(userId)));
  return { rooms: withLobby, active: withLobby.includes(active) ? active : LOBBY, left };
}

export function writeSavedRooms(userId: string, saved: SavedRooms): void {
  safeSet(roomsKey(userId), JSON.stringify(saved.rooms));
  safeSet(activeKey(userId), saved.active);
  safeSet(leftKey(userId), JSON.stringify(saved.left));
}

function parseList(raw: string | null): string[] {
  try {
    const value: unknown = JSON.parse(raw ?? '[]');
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  } catch {
    return [];
  }
}

function safeGet(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

function safeSet(key: string, value: string): void {
  try {
    localStorage.setItem(key, value);
  } catch {
    // Storage unavailable: rooms are simply not remembered.
  }
}

// Invites dismissed without joining (see inviteKey): the server lists an invite until it is used.
const dismissedKey = (userId: string) => `pockychat.dismissed-invites.${userId}`;

export function readDismissedInvites(userId: string): string[] {
  return parseList(safeGet(dismissedKey(userId)));
}

export function writeDismissedInvites(userId: string, keys: readonly string[]): void {
  safeSet(dismissedKey(userId), JSON.stringify(keys));
}
