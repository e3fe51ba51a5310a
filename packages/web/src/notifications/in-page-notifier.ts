import type { Message, User } from '@pockychat/protocol';
import type { NotificationPrefs } from './notification-prefs.ts';
import { isPushOn } from './push-flag.ts';
import { VisibleTabs } from './visible-tabs.ts';

const BODY_CHARS = 200;

/**
 * Notifications shown by the page itself (the Notification API) for a
 * message meant for the user (a DM, a mention, or a room set to 'all')
 * while the tab is hidden and this browser gets no Web Push (the service
 * worker shows those). Never while the tab, or another tab of the app in
 * this browser, is in view or focused: the message is on screen. The tag is the message id, so a message is shown
 * once whatever delivers it twice.
 */
export class InPageNotifier {
  readonly #me: User;
  readonly #prefs: NotificationPrefs;
  readonly #open: (room: string) => void;
  readonly #tabs = new VisibleTabs();

  constructor(me: User, prefs: NotificationPrefs, open: (room: string) => void) {
    this.#me = me;
    this.#prefs = prefs;
    this.#open = open;
  }

  stop(): void {
    this.#tabs.stop();
  }

  /** A live message arrived. */
  onMessage(message: Message): void {
    if (!this.#wanted(message) || !canShow()) return;
    void VisibleTabs.anyVisible().then((visible) => {
      if (!visible && canShow()) this.#show(message);
    });
  }

  #show(message: Message): void {
    const direct = message.room.startsWith('dm:');
    const title = direct ? message.author.name : `${message.author.name} in #${message.room}`;
    const notification = new Notification(title, { body: this.#body(message), tag: message.id });
    notification.onclick = () => {
      window.focus();
      this.#open(message.room);
      notification.close();
    };
  }

  #wanted(message: Message): boolean {
    if (message.author.id === this.#me.id || message.deleted) return false;
    const level = this.#prefs.levelOf(message.room);
    return level === 'all' || (level === 'mentions' && message.mentions.includes(this.#me.id));
  }

  #body(message: Message): string {
    if (!this.#prefs.preview) return 'New message';
    const text = message.text.trim();
    if (!text) return message.file ? `📎 ${message.file.name}` : 'New message';
    return text.length <= BODY_CHARS ? text : `${text.slice(0, BODY_CHARS - 1)}…`;
  }
}

/** The tab is hidden and not focused, push is off here, and the user allowed notifications. */
function canShow(): boolean {
  if (document.visibilityState !== 'hidden' || document.hasFocus()) return false;
  if (isPushOn()) return false;
  return typeof Notification !== 'undefined' && Notification.permission === 'granted';
}

/** Asks for permission, from a user gesture (a click in the notification menu); once is enough. */
export function askNotificationPermission(): void {
  if (typeof Notification === 'undefined' || Notification.permission !== 'default') return;
  void Notification.requestPermission().catch(() => undefined);
}
