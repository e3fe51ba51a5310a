import type { Delivery, Fanout } from './fanout.ts';

/**
 * One node: deliveries go straight back to this process. They are handed
 * over on the next turn (setImmediate), not synchronously, so that a
 * sender's ack, written as soon as its send resolves, reaches it before
 * the broadcast of the same message, as it would across nodes.
 */
export class LocalFanout implements Fanout {
  #handlers: Array<(delivery: Delivery) => void> = [];
  #queue: Delivery[] = [];

  publish(delivery: Delivery): void {
    if (this.#queue.push(delivery) === 1) setImmediate(() => this.#flush());
  }

  onDelivery(handler: (delivery: Delivery) => void): void {
    this.#handlers.push(handler);
  }

  async close(): Promise<void> {
    this.#flush();
    this.#handlers = [];
  }

  #flush(): void {
    const queue = this.#queue;
    this.#queue = [];
    for (const delivery of queue) for (const handler of this.#handlers) handler(delivery);
  }
}
