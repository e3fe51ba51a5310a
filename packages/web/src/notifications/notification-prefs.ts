import { defaultNotificationLevel, type NotificationLevel, type NotificationSettings } from '@pockychat/protocol';
import type { NotificationsApi } from '../api/notifications-api.ts';

/**
 * The user's notification settings as the server keeps them, for the menus
 * (useSyncExternalStore) and the in-page notifier. A change shows at once
 * and goes back to what the server has if it refuses it.
 */
export class NotificationPrefs {
  readonly #api: NotificationsApi;
  #settings: NotificationSettings = { levels: {}, preview: true };
  readonly #listeners = new Set<() => void>();

  constructor(api: NotificationsApi) {
    this.#api = api;
  }

  async load(): Promise<void> {
    this.#set(await this.#api.settings());
  }

  readonly subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  };

  readonly getSnapshot = (): NotificationSettings => this.#settings;

  levelOf(room: string): NotificationLevel {
    return this.#settings.levels[room] ?? defaultNotificationLevel(room);
  }

  get preview(): boolean {
    return this.#settings.preview;
  }

  async setLevel(room: string, level: NotificationLevel): Promise<void> {
    const before = this.#settings;
    this.#set({ ...before, levels: { ...before.levels, [room]: level } });
    await this.#api.setLevel(room, level).catch((error: unknown) => this.#undo(before, error));
  }

  async setPreview(preview: boolean): Promise<void> {
    const before = this.#settings;
    this.#set({ ...before, preview });
    await this.#api.setPreview(preview).catch((error: unknown) => this.#undo(before, error));
  }

  #undo(before: NotificationSettings, error: unknown): never {
    this.#set(before);
    throw error;
  }

  #set(settings: NotificationSettings): void {
    this.#settings = settings;
    for (const listener of this.#listeners) listener();
  }
}
