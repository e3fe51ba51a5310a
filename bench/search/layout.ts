/**
 * Where the search scenario's messages live: ROOMS rooms, message n in room
 * n % ROOMS. The searcher may read the public ones and the private ones it
 * is a member of; the rest (private, not a member) must never show up.
 */
export const ROOMS = 100;
export const PUBLIC_ROOMS = 40;
export const MEMBER_ROOMS = 20;

export function roomName(i: number): string {
  return `search-${String(i).padStart(2, '0')}`;
}

/** Message n (from 1) is in room (n - 1) % ROOMS. */
export function roomOf(n: number): number {
  return (n - 1) % ROOMS;
}

export type Access = 'public' | 'member' | 'hidden';

export function accessOf(room: number): Access {
  return room < PUBLIC_ROOMS ? 'public' : room < PUBLIC_ROOMS + MEMBER_ROOMS ? 'member' : 'hidden';
}

/** The seq of message n in its room: gap-free from 1. */
export function seqOf(n: number): number {
  return Math.floor((n - 1) / ROOMS) + 1;
}

/** The last seq of a room once `messages` are in. */
export function lastSeqOf(room: number, messages: number): number {
  return messages > room ? Math.floor((messages - 1 - room) / ROOMS) + 1 : 0;
}
