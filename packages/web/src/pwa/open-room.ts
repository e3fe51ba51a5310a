import { RoomName } from '@pockychat/protocol';

let linked: string | null = null;

/**
 * A notification clicked with no window open opens `<scope>?room=<room>`:
 * the room is kept for the chat to open once signed in, and dropped from
 * the address bar (a reload should not jump there again).
 */
export function takeRoomFromUrl(): void {
  const url = new URL(window.location.href);
  const room = url.searchParams.get('room');
  if (room === null) return;
  if (RoomName.safeParse(room).success) linked = room;
  url.searchParams.delete('room');
  window.history.replaceState(window.history.state, '', url.pathname + url.search + url.hash);
}

/** The room a link asked for, once. */
export function consumeLinkedRoom(): string | null {
  const room = linked;
  linked = null;
  return room;
}

/** Rooms the service worker asks to show (a notification clicked while this window was open). */
export function onOpenRoomMessage(open: (room: string) => void): () => void {
  if (!('serviceWorker' in navigator)) return () => undefined;
  const listener = (event: MessageEvent) => {
    const data = event.data as { type?: unknown; room?: unknown } | null;
    if (data?.type !== 'open-room' || typeof data.room !== 'string') return;
    if (RoomName.safeParse(data.room).success) open(data.room);
  };
  navigator.serviceWorker.addEventListener('message', listener);
  return () => navigator.serviceWorker.removeEventListener('message', listener);
}
