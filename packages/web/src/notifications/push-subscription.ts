import type { PushApi } from '../api/push-api.ts';

const PUSH_FLAG = 'pockychat:push';

/** Whether this browser can get pushes at all (a service worker, the Push API, notifications). */
export function pushSupported(): boolean {
  return 'serviceWorker' in navigator && 'PushManager' in window && 'Notification' in window;
}

/**
 * Turns pushes on: permission, the server's key, a subscription of the
 * service worker's push manager, handed to the server; then the flag
 * (push-flag.ts) that tells the page the service worker shows notifications.
 */
export async function enablePush(api: PushApi): Promise<void> {
  if ((await Notification.requestPermission()) !== 'granted')
    throw new Error('Notifications are blocked for this site.');
  const registration = await navigator.serviceWorker.ready;
  const key = await api.publicKey();
  const subscription =
    (await registration.pushManager.getSubscription()) ??
    (await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: base64urlBytes(key) }));
  await api.subscribe(subscription.toJSON());
  localStorage.setItem(PUSH_FLAG, '1');
}

/** Turns pushes off: the flag first (the page notifies again), then the subscription, here and on the server. */
export async function disablePush(api: PushApi): Promise<void> {
  localStorage.removeItem(PUSH_FLAG);
  const registration = await navigator.serviceWorker.getRegistration();
  const subscription = await registration?.pushManager.getSubscription();
  if (!subscription) return;
  const { endpoint } = subscription;
  await subscription.unsubscribe();
  await api.unsubscribe(endpoint);
}

function base64urlBytes(text: string): Uint8Array<ArrayBuffer> {
  const base64 = text
    .replace(/-/g, '+')
    .replace(/_/g, '/')
    .padEnd(Math.ceil(text.length / 4) * 4, '=');
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
