import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { systemClock, type Clock } from './chat/clock.ts';
import type { PasswordReset } from './chat/password-reset.ts';
import type { PresenceOptions } from './chat/presence.ts';
import type { Store } from './chat/ports/store.ts';
import type { Config } from './config.ts';
import type { Fanout } from './fanout/fanout.ts';
import type { BlobStore } from './files/blob-store.ts';
import { DiskBlobStore } from './files/disk-blob-store.ts';
import { registerHealthRoutes } from './transport/health-routes.ts';
import { Metrics } from './transport/metrics.ts';
import type { Realtime } from './transport/realtime/realtime.ts';
import type { LiveIndexingOptions } from './transport/search-live-indexing.ts';
import { registerWebClient } from './transport/web-client.ts';
import { wireChat } from './wiring/chat.ts';
import type { Feature, WiringBase } from './wiring/feature.ts';
import { wireFiles } from './wiring/files.ts';
import { createHttpServer } from './wiring/http-server.ts';
import { wireIdentity } from './wiring/identity.ts';
import { wireLinks } from './wiring/links.ts';
import { wireModeration } from './wiring/moderation.ts';
import { wirePresence } from './wiring/presence.ts';
import { wirePush } from './wiring/push.ts';
import { wireRealtime } from './wiring/realtime.ts';
import { wireSearch } from './wiring/search.ts';
import { wireSignIns } from './wiring/sign-ins.ts';

export interface AppDeps {
  config: Config;
  log: Logger;
  store: Store;
  fanout: Fanout;
  blobs?: BlobStore;
  clock?: Clock;
  /** TLS settings for the connections to push services (a test's own CA). */
  pushTls?: { ca: string };
  /** Tests: presence's timings beyond what the config sets (e.g. a sub-second away). */
  presenceOptions?: Partial<PresenceOptions>;
  /** Tests: the live search indexer's timings, or paused. */
  searchIndexing?: Partial<LiveIndexingOptions>;
}

export interface App {
  readonly http: FastifyInstance;
  readonly realtime: Realtime;
  /** Resolves once no push is queued or being sent (tests wait on it to see that none went). */
  pushIdle(): Promise<void>;
  /** Indexes every message not in the search index yet (tests; searches find them anyway). */
  drainSearchIndex(): Promise<void>;
  /** Password reset by email, when SMTP is configured (tests wait on its idle()). */
  readonly passwordReset: PasswordReset | undefined;
  /** Listens on the configured host and port; resolves with the base URL. */
  listen(): Promise<string>;
  /** Stops accepting, lets the work under way finish, closes connections and storage. */
  close(): Promise<void>;
}

/**
 * Builds the server from its parts, one feature at a time (src/wiring/);
 * main.ts and the tests are its callers. A feature comes after those whose
 * services it takes; routes go on in this order too.
 */
export async function createApp(deps: AppDeps): Promise<App> {
  const { config, log, store, fanout } = deps;
  const clock = deps.clock ?? systemClock;
  const blobs = deps.blobs ?? new DiskBlobStore(config.uploadsDir);
  const http = await createHttpServer(config, log);
  const base: WiringBase = { config, log, store, fanout, clock, blobs, http };
  // Realtime is wired last (after every route); the count is only read by a scrape, once listening.
  const metrics = new Metrics(() => realtime.connectionCount);
  registerHealthRoutes(http, { store, fanout, metrics });
  const people = await wireIdentity(base);
  const { session } = people;
  const presence = wirePresence(base, session, deps.presenceOptions);
  const push = wirePush(base, { session, tabs: presence, tls: deps.pushTls });
  const moderation = wireModeration(base, session);
  const chat = wireChat(base, { session, moderation, notifier: push.notifier, presence });
  const search = wireSearch(base, session, deps.searchIndexing);
  wireLinks(base, { session, moderation });
  const signIns = wireSignIns(base, people);
  await wireFiles(base, { chat, session });
  await registerWebClient(http, config.webDist);
  const realtime = wireRealtime(base, { chat, identity: people.identity, metrics, push, presence });
  await http.ready();
  // The order close() goes in: connections end before the server closes; the
  // work under way (pushes, indexing, reset mails) before the store it uses.
  const features: Feature[] = [
    realtime,
    { close: () => http.close() },
    push,
    search,
    signIns,
    { close: () => fanout.close() },
    { close: () => store.close() },
  ];
  return {
    http,
    realtime,
    pushIdle: () => push.notifier.idle(),
    drainSearchIndex: () => search.drain(),
    passwordReset: signIns.reset,
    ...lifecycle(base, features),
  };
}

/** listen() starts each feature's background work; close() ends them in the order given. */
function lifecycle({ http, config }: WiringBase, features: readonly Feature[]): Pick<App, 'listen' | 'close'> {
  return {
    async listen() {
      await http.listen({ port: config.port, host: config.host });
      for (const feature of features) feature.start?.();
      const address = http.server.address();
      const port = typeof address === 'object' && address ? address.port : config.port;
      const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
      return `${config.tls ? 'https' : 'http'}://${host}:${port}`;
    },
    async close() {
      // Stop accepting first: no new connection or upgrade may start while the
      // work under way drains (connections already open stay until ended below).
      http.server.close();
      for (const feature of features) await feature.close?.();
    },
  };
}
