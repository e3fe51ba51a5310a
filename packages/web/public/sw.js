/* global self, URL */
/*
 * pockychat's service worker: shows pushes, and opens the right room when
 * one is clicked. No caching: the chat needs its server anyway. Registered
 * with a relative URL, so its scope is wherever the client is hosted.
 *
 * A push's payload (JSON): { type: 'message', room, messageId, seq, title, body, tag }.
 */
self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

/** The notification a push shows; undefined for a payload it does not understand. */
function notificationOf(payload) {
  if (!payload || payload.type !== 'message' || typeof payload.room !== 'string') return undefined;
  return {
    title: typeof payload.title === 'string' ? payload.title : 'pockychat',
    options: {
      body: typeof payload.body === 'string' ? payload.body : '',
      tag: typeof payload.tag === 'string' ? payload.tag : payload.room,
      icon: 'icons/icon-192.png',
      badge: 'icons/icon-192.png',
      data: { room: payload.room },
    },
  };
}

self.addEventListener('push', (event) => {
  let payload;
  try {
    payload = event.data ? event.data.json() : undefined;
  } catch {
    payload = undefined;
  }
  const shown = notificationOf(payload);
  if (shown) event.waitUntil(self.registration.showNotification(shown.title, shown.options));
});

/** Focuses an open window of the client and tells it the room, or opens one at ?room=. */
async function openRoom(room) {
  const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
  const open = windows.find((client) => client.url.startsWith(self.registration.scope)) ?? windows[0];
  if (open) {
    await open.focus().catch(() => undefined);
    open.postMessage({ type: 'open-room', room });
    return;
  }
  const url = new URL(self.registration.scope);
  url.searchParams.set('room', room);
  await self.clients.openWindow(url.href);
}

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const room = event.notification.data && event.notification.data.room;
  if (typeof room === 'string') event.waitUntil(openRoom(room));
});

// Tests (and a page that wants it) can ask for the click path without a click: { type: 'test-open-room', room }.
self.addEventListener('message', (event) => {
  if (event.data && event.data.type === 'test-open-room' && typeof event.data.room === 'string') {
    event.waitUntil(openRoom(event.data.room));
  }
});
