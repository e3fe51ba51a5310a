import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Clock } from '../chat/clock.ts';
import type { Store } from '../chat/ports/store.ts';
import type { Config } from '../config.ts';
import type { Fanout } from '../fanout/fanout.ts';
import type { BlobStore } from '../files/blob-store.ts';

/** What every wiring module is given: the parts main.ts injected (defaults filled in) and the HTTP server. */
export interface WiringBase {
  config: Config;
  log: Logger;
  store: Store;
  fanout: Fanout;
  clock: Clock;
  blobs: BlobStore;
  http: FastifyInstance;
}

/** The part of a feature the app's lifecycle runs: background work after listen, and its end on close. */
export interface Feature {
  /** Called after each successful listen(): work that must not delay start-up. */
  start?(): void;
  /** Lets the work under way finish, then releases what the feature holds. */
  close?(): Promise<void>;
}
