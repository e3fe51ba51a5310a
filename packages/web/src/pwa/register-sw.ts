/**
 * Registers the service worker (public/sw.js) by a URL relative to the page,
 * so that its scope is wherever the client is hosted: the chat server, or a
 * static host on another origin, at any path.
 */
export function registerServiceWorker(): void {
  if (!('serviceWorker' in navigator)) return;
  navigator.serviceWorker.register(new URL('sw.js', document.baseURI)).catch((error: unknown) => {
    console.warn('the service worker did not register; pushes will not show', error);
  });
}
