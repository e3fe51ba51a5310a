/**
 * Whether another tab of the app in this browser is in view: while one is,
 * a hidden tab shows no notification (the message is on screen already).
 * Each visible tab holds a shared Web Lock; the browser releases it when the
 * tab hides or closes, so nothing goes stale.
 */
const LOCK = 'pockychat:visible-tab';

export class VisibleTabs {
  #release: (() => void) | undefined;
  readonly #onChange = () => this.#update();

  constructor() {
    document.addEventListener('visibilitychange', this.#onChange);
    this.#update();
  }

  /** True when some tab of this origin holds the lock (this one included, if it is in view). */
  static async anyVisible(): Promise<boolean> {
    if (!('locks' in navigator)) return false;
    const { held = [] } = await navigator.locks.query();
    return held.some((lock) => lock.name === LOCK);
  }

  stop(): void {
    document.removeEventListener('visibilitychange', this.#onChange);
    this.#release?.();
  }

  #update(): void {
    const visible = document.visibilityState === 'visible';
    if (!visible) {
      this.#release?.();
      this.#release = undefined;
      return;
    }
    if (this.#release || !('locks' in navigator)) return;
    const held = new Promise<void>((resolve) => (this.#release = resolve));
    void navigator.locks.request(LOCK, { mode: 'shared' }, () => held).catch(() => undefined);
  }
}
