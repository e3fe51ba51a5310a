import { readFileSync } from 'node:fs';
import Fastify, { type FastifyInstance } from 'fastify';
import fastifyCookie from '@fastify/cookie';
import type { Logger } from 'pino';
import { ChatService } from './chat/chat-service.ts';
import { systemClock, type Clock } from './chat/clock.ts';
import { Accounts } from './chat/accounts.ts';
import { FileService } from './chat/file-service.ts';
import { Identity } from './chat/identity.ts';
import { PasswordReset } from './chat/password-reset.ts';
import { RoomAdmin } from './chat/room-admin.ts';
import type { Config } from './config.ts';
import type { Fanout } from './fanout/fanout.ts';
import type { BlobStore } from './files/blob-store.ts';
import { DiskBlobStore } from './files/disk-blob-store.ts';
import { SmtpMailer } from './mail/smtp-mailer.ts';
import type { Store } from './chat/ports/store.ts';
import { registerAuthRoutes } from './transport/auth-routes.ts';
import { registerErrorHandling } from './transport/http-errors.ts';
import { registerFileRoutes } from './transport/file-routes.ts';
import { registerHealthRoutes } from './transport/health-routes.ts';
import { registerHttpRoutes } from './transport/http-routes.ts';
import { OidcClient } from './transport/oidc-client.ts';
import { registerOidcRoutes } from './transport/oidc-routes.ts';
import { registerPasswordResetRoutes } from './transport/password-reset-routes.ts';
import { Realtime } from './transport/realtime/realtime.ts';
import { hardenEveryResponse, responseHeaders } from './transport/response-headers.ts';
import { registerSecurity } from './transport/security.ts';
import { HttpSession } from './transport/session.ts';
import { Metrics } from './transport/metrics.ts';
import { registerWebClient } from './transport/web-client.ts';

export interface AppDeps {
  config: Config;
  log: Logger;
  store: Store;
  fanout: Fanout;
  blobs?: BlobStore;
  clock?: Clock;
}

export interface App {
  readonly http: FastifyInstance;
  readonly realtime: Realtime;
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
  const chat = new ChatService({
    store,
    fanout,
    clock,
    rateLimit: config.rateLimit,
    blobs,
    onBlobLeft: (key, err) => log.warn({ key, err: (err as Error).message }, 'a deleted file’s bytes stayed'),
  });
  const accounts = new Accounts({ store, identity, clock });
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
  const signIns = registerSignIns(http, { config, log, store, identity, clock, accounts, session });
  registerHttpRoutes(http, { chat, rooms, session });
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
  });
  // After Primus, which moves the 'request' listeners it finds behind its own.
  hardenEveryResponse(http.server, headers);
  await http.ready();
  return lifecycle(http, realtime, signIns, deps);
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

function lifecycle(
  http: FastifyInstance,
  realtime: Realtime,
  signIns: { reset: PasswordReset | undefined; close(): void },
  deps: AppDeps,
): App {
  const { config, fanout, store } = deps;
  return {
    http,
    realtime,
    passwordReset: signIns.reset,
    async listen() {
      await http.listen({ port: config.port, host: config.host });
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
      // The reset mails under way use the store: they go (or fail) first.
      await signIns.reset?.idle();
      signIns.close();
      await fanout.close();
      await store.close();
    },
  };
}
