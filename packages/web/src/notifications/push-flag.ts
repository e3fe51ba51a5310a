/** Set to '1' by the service worker's subscribe code once this browser receives Web Push. */
const PUSH_FLAG = 'pockychat:push';

/** Whether this browser gets pushes: then the service worker shows notifications, not the page. */
export function isPushOn(): boolean {
  try {
    return localStorage.getItem(PUSH_FLAG) === '1';
  } catch {
    return false;
  }
}
