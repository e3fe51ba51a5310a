import type { ActivityFrame } from '@pockychat/protocol';

/** Input reports at most this often while the tab is visible: the server's away threshold is minutes. */
export const INPUT_REPORT_MS = 60_000;

const INPUTS = ['pointerdown', 'keydown', 'wheel', 'touchstart'] as const;

/**
 * Tells the server whether this tab is seen and used (presence): an
 * `activity` frame when the socket opens, on each visibilitychange, and on
 * input at most once a minute while visible.
 */
export class ActivityReporter {
  readonly #write: (frame: ActivityFrame) => void;
  readonly #now: () => number;
  #lastInput = 0;
  readonly #onVisibility = () => this.report();
  readonly #onInput = () => {
    if (!visible() || this.#now() - this.#lastInput < INPUT_REPORT_MS) return;
    this.report();
  };

  constructor(write: (frame: ActivityFrame) => void, now: () => number = Date.now) {
    this.#write = write;
    this.#now = now;
  }

  start(): void {
    if (!hasDocument()) return;
    document.addEventListener('visibilitychange', this.#onVisibility);
    for (const type of INPUTS) window.addEventListener(type, this.#onInput, { passive: true, capture: true });
  }

  stop(): void {
    if (!hasDocument()) return;
    document.removeEventListener('visibilitychange', this.#onVisibility);
    for (const type of INPUTS) window.removeEventListener(type, this.#onInput, { capture: true });
  }

  /** Reports now (the socket just opened, or visibility changed). */
  report(): void {
    if (!hasDocument()) return;
    const isVisible = visible();
    if (isVisible) this.#lastInput = this.#now();
    this.#write({ type: 'activity', visible: isVisible });
  }
}

function visible(): boolean {
  return document.visibilityState === 'visible';
}

/** Outside a browser (the session's unit tests) there is no tab to report on. */
function hasDocument(): boolean {
  return typeof document !== 'undefined';
}
