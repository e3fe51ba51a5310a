import type { TabVisibility } from '../../chat/ports/tab-visibility.ts';

/**
 * Which users have a tab in view, from the `activity` frames of this node's
 * connections. One node only: a tab in view on another node is not seen
 * here, so a user may get a push for a message stored on a node other than
 * their visible tab's (the service worker can still skip showing it while a
 * window of the app is focused). The presence work replaces this with a
 * cross-node implementation of the same port.
 */
export class LocalTabVisibility implements TabVisibility {
  /** By user id: the connections (by id) whose tab said it is visible. */
  readonly #visible = new Map<string, Set<string>>();

  set(userId: string, connectionId: string, visible: boolean): void {
    let mine = this.#visible.get(userId);
    if (visible) {
      if (!mine) this.#visible.set(userId, (mine = new Set()));
      mine.add(connectionId);
      return;
    }
    mine?.delete(connectionId);
    if (mine?.size === 0) this.#visible.delete(userId);
  }

  /** A closed connection's tab is in view no more. */
  drop(userId: string, connectionId: string): void {
    this.set(userId, connectionId, false);
  }

  hasVisibleTab(userId: string): boolean {
    return this.#visible.has(userId);
  }
}
