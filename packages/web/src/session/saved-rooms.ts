import { LOBBY } from '@pockychat/protocol';

// Which rooms a person had open, per user, so a reload brings the same sidebar back.
const roomsKey = (userId: string) => `pockychat.rooms.${userId}`;
const activeKey = (userId: string) => `pockychat.active.${userId}`;

export interface SavedRooms {
  rooms: string[];
  active: string;
}

export function readSavedRooms(userId: string): SavedRooms {
  const rooms = parseList(safeGet(roomsKey(userId)));
  const withLobby = rooms.includes(LOBBY) ? rooms : [LOBBY, ...rooms];
  const active = safeGet(activeKey(userId)) ?? LOBBY;
  return { rooms: withLobby, active: withLobby.includes(active) ? active : LOBBY };
}

export function writeSavedRooms(userId: string, saved: SavedRooms): void {
  safeSet(roomsKey(userId), JSON.stringify(saved.rooms));
  safeSet(activeKey(userId), saved.active);
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
