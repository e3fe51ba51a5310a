import { readFileSync } from 'node:fs';
import Fastify, { type FastifyInstance } from 'fastify';
import fastifyCookie from '@fastify/cookie';
import type { Logger } from 'pino';
import { ChatService } from './chat/chat-service.ts';
import { systemClock, type Clock } from './chat/clock.ts';
import { Accounts } from './chat/accounts.ts';
import { Admins } from './chat/admin.ts';
import { FileService } from './chat/file-service.ts';
import { GroupDms } from './chat/group-dms.ts';
import { Identity } from './chat/identity.ts';
import { Presence, type PresenceOptions } from './chat/presence.ts';
import { InviteLinks } from './chat/invite-links.ts';
import { Moderation } from './chat/moderation.ts';
import { PasswordReset } from './chat/password-reset.ts';
import { RoomAdmin } from './chat/room-admin.ts';
import type { Config } from './config.ts';
import type { Fanout } from './fanout/fanout.ts';
import type { BlobStore } from './files/blob-store.ts';
import { DiskBlobStore } from './files/disk-blob-store.ts';
import { SmtpMailer } from './mail/smtp-mailer.ts';
import type { Store } from './chat/ports/store.ts';
import { registerAdminRoutes } from './transport/admin-routes.ts';
import { registerAuthRoutes } from './transport/auth-routes.ts';
import { registerErrorHandling } from './transport/http-errors.ts';
import { registerFileRoutes } from './transport/file-routes.ts';
import { registerHealthRoutes } from './transport/health-routes.ts';
import { registerHttpRoutes } from './transport/http-routes.ts';
import { registerPresenceRoutes } from './transport/presence-routes.ts';
import { registerSearchRoutes } from './transport/search-routes.ts';
import { startSearchIndexing, type SearchIndexing } from './transport/search-indexing.ts';
import { startLiveIndexing, type LiveIndexing, type LiveIndexingOptions } from './transport/search-live-indexing.ts';
import { SearchService } from './chat/search.ts';
import { registerLinkRoutes } from './transport/link-routes.ts';
import { registerModerationRoutes } from './transport/moderation-routes.ts';
import { OidcClient } from './transport/oidc-client.ts';
import { registerOidcRoutes } from './transport/oidc-routes.ts';
import { registerPasswordResetRoutes } from './transport/password-reset-routes.ts';
import { Realtime } from './transport/realtime/realtime.ts';
import { hardenEveryResponse, responseHeaders } from './transport/response-headers.ts';
import { registerSecurity } from './transport/security.ts';
import { HttpSession } from './transport/session.ts';
import { Metrics } from './transport/metrics.ts';
import { registerWebClient } from './transport/web-client.ts';
import { createPush, type PushParts } from './push/push-wiring.ts';
import { registerPushRoutes } from './transport/push-routes.ts';

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

/** Builds the server from its parts; main.ts and the tests are its callers. */
export async function createApp(deps: AppDeps): Promise<App> {
  const { config, log, store, fanout } = deps;
  const clock = deps.clock ?? systemClock;
  const http = createHttp(config, log);

  const identity = new Identity({ store, clock, fanout });
  const blobs = deps.blobs ?? new DiskBlobStore(config.uploadsDir);
  const presence =
    config.presence && new Presence({ fanout, clock, options: { ...config.presence, ...deps.presenceOptions } });
  // Presence knows every node's visible tabs; without it, push falls back to this node's.
  const push = createPush({
    config,
    log,
    store,
    clock,
    ...(deps.pushTls && { tls: deps.pushTls }),
    ...(presence && { tabs: presence }),
  });
  const admins = new Admins({ store: store.admins, users: store, identity, clock, adminEmails: config.adminEmails });
  await admins.start();
  const moderation = new Moderation({ bans: store.moderation, store, fanout, clock });
  const chat = new ChatService({
    moderation,
    store,
    fanout,
    clock,
    rateLimit: config.rateLimit,
    blobs,
    onBlobLeft: (key, err) => log.warn({ key, err: (err as Error).message }, 'a deleted file’s bytes stayed'),
    onStored: (message) => push.notifier.notify(message),
  });
  const accounts = new Accounts({ store, identity, clock, admins });
  const rooms = new RoomAdmin({ store, fanout, clock });
  const session = new HttpSession(identity, Boolean(config.tls));
  const metrics = new Metrics(() => realtime.connectionCount);
  const files = new FileService({ store, blobs, chat, maxBytes: config.maxFileBytes });
  const headers = responseHeaders({ tls: Boolean(config.tls) });

  await http.register(fastifyCookie);
  await registerSecurity(http, { allowedOrigins: config.allowedOrigins, httpRateLimit: config.httpRateLimit });
  registerErrorHandling(http);
  reapIdleConnectionsWhenClosing(http);
  registerHealthRoutes(http, { store, fanout, metrics });
  await registerAuthRoutes(http, {
    identity,
    accounts,
    session,
    facebook: config.facebook,
    allowedOrigins: config.allowedOrigins,
    publicUrl: config.publicUrl,
    secureCookies: Boolean(config.tls),
    signInsPerMinute: config.authRateLimit,
  });
  registerPushRoutes(http, {
    notifications: push.notifications,
    session,
    publicKey: push.publicKey,
    allowPrivateEndpoints: config.push.allowPrivateEndpoints,
  });
  registerHttpRoutes(http, { chat, rooms, session, presence });
  registerPresenceRoutes(http, { session, presence });
  registerSearchRoutes(http, { search: new SearchService(store), session });
  registerLinkRoutes(http, {
    links: new InviteLinks({ store, clock, moderation }),
    groupDms: new GroupDms({ store, fanout, clock }),
    session,
  });
  registerAdminRoutes(http, { admins, session });
  registerModerationRoutes(http, { moderation, session });
  const signIns = registerSignIns(http, { config, log, store, identity, clock, accounts, session });
  await registerFileRoutes(http, { files, session, maxFileBytes: config.maxFileBytes });
  await registerWebClient(http, config.webDist);

  const realtime: Realtime = new Realtime({
    server: http.server,
    chat,
    identity,
    fanout,
    clock,
    log,
    allowedOrigins: config.allowedOrigins,
    maxFrameBytes: config.maxFrameBytes,
    parseCookie: (header) => http.parseCookie(header),
    metrics,
    maxBufferedBytes: config.maxBufferedBytes,
    frameLimit: { limit: config.rateLimit.messages * 10, windowMs: config.rateLimit.windowMs },
    responseHeaders: headers,
    ...(push.tabs && { tabs: push.tabs }),
    ...(presence && { presence }),
  });
  // After Primus, which moves the 'request' listeners it finds behind its own.
  hardenEveryResponse(http.server, headers);
  await http.ready();
  return lifecycle(http, realtime, deps, { push, signIns });
}

/** Password reset by email and OpenID Connect sign-in, each on when configured. */
function registerSignIns(
  http: FastifyInstance,
  parts: Pick<AppDeps, 'config' | 'log' | 'store'> & {
    identity: Identity;
    clock: Clock;
    accounts: Accounts;
    session: HttpSession;
  },
): { reset: PasswordReset | undefined; close(): void } {
  const { config, log } = parts;
  const mailer = config.passwordReset && new SmtpMailer(config.passwordReset.smtp);
  const reset =
    config.passwordReset &&
    mailer &&
    new PasswordReset({
      ...parts,
      mailer,
      webUrl: config.passwordReset.webUrl,
      ttlMs: config.passwordReset.ttlMs,
      onMailError: (err) => log.error({ err: (err as Error).message }, 'a password reset mail could not be sent'),
    });
  const options = {
    passwordReset: Boolean(reset),
    oidc: config.oidc ? { name: config.oidc.name } : null,
    facebook: Boolean(config.facebook),
  };
  registerPasswordResetRoutes(http, { reset, options, signInsPerMinute: config.authRateLimit });
  registerOidcRoutes(http, {
    client: config.oidc && new OidcClient(config.oidc),
    accounts: parts.accounts,
    session: parts.session,
    allowedOrigins: config.allowedOrigins,
    publicUrl: config.publicUrl,
    secureCookies: Boolean(config.tls),
    signInsPerMinute: config.authRateLimit,
  });
  return { reset, close: () => mailer?.close() };
}

function createHttp(config: Config, log: Logger): FastifyInstance {
  return Fastify({
    loggerInstance: log,
    trustProxy: config.trustProxy,
    bodyLimit: config.maxFrameBytes,
    ...(config.tls && {
      https: { cert: readFileSync(config.tls.cert), key: readFileSync(config.tls.key), minVersion: 'TLSv1.2' as const },
    }),
  }) as unknown as FastifyInstance;
}

/**
 * Node closes idle keep-alive connections once, when the server stops
 * listening; a response still streaming then (a download, an upload) ends
 * later, and its connection would hold up the close for the keep-alive
 * timeout. Once closing, each response reaps what has gone idle.
 */
function reapIdleConnectionsWhenClosing(http: FastifyInstance): void {
  http.addHook('onResponse', async () => {
    if (!http.server.listening) http.server.closeIdleConnections();
  });
}

/** What close() waits for beside the server itself: pushes and reset mails under way. */
interface Background {
  push: PushParts;
  signIns: { reset: PasswordReset | undefined; close(): void };
}

function lifecycle(http: FastifyInstance, realtime: Realtime, deps: AppDeps, { push, signIns }: Background): App {
  const { config, fanout, store } = deps;
  let indexing: SearchIndexing | undefined;
  let liveIndexing: LiveIndexing | undefined;
  return {
    http,
    realtime,
    pushIdle: () => push.notifier.idle(),
    drainSearchIndex: async () => liveIndexing?.drain(),
    passwordReset: signIns.reset,
    async listen() {
      await http.listen({ port: config.port, host: config.host });
      // Messages stored before search existed: indexed in the background while the server answers.
      indexing ??= startSearchIndexing(store, deps.log);
      // Messages stored since: indexed when sends leave the event loop time (search-live-indexing.ts).
      liveIndexing ??= startLiveIndexing(store, deps.log, deps.searchIndexing);
      const address = http.server.address();
      const port = typeof address === 'object' && address ? address.port : config.port;
      const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
      return `${config.tls ? 'https' : 'http'}://${host}:${port}`;
    },
    async close() {
      // Stop accepting first: no new connection or upgrade may start while the
      // work under way drains (connections already open stay until ended below).
      http.server.close();
      await realtime.close();
      await http.close();
      await push.close();
      await indexing?.stop();
      await liveIndexing?.stop();
      // The reset mails under way use the store: they go (or fail) first.
      await signIns.reset?.idle();
      signIns.close();
      await fanout.close();
      await store.close();
    },
  };
}
