import type { ClientFrame } from '@pockychat/protocol';

/**
 * Tells the server whether this tab is in view (`activity` frames), on
 * connect and on every visibility change: a user with a tab in view gets
 * no Web Push.
 */
export class TabActivity {
  readonly #send: (frame: ClientFrame) => boolean;
  readonly #onChange = () => this.report();

  constructor(send: (frame: ClientFrame) => boolean) {
    this.#send = send;
    document.addEventListener('visibilitychange', this.#onChange);
  }

  /** Sends the current visibility (on each connect: the server forgot the closed connection's). */
  report(): void {
    this.#send({ type: 'activity', visible: document.visibilityState === 'visible' });
  }

  stop(): void {
    document.removeEventListener('visibilitychange', this.#onChange);
  }
}
