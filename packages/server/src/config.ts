import path from 'node:path';
import { z } from 'zod';
import { limits } from '@pockychat/protocol';

/** The single reader of process.env: every setting, validated at start. */

// Digits only: coercing with Number() would read PORT=' ' as 0 (a random
// port) and take 0x50 or 1e3 for numbers.
const wholeNumber = z.string().trim().regex(/^\d+$/, { message: 'a whole number, digits only' }).transform(Number);
const port = wholeNumber.pipe(z.number().int().min(0).max(65535));
const positiveInt = wholeNumber.pipe(z.number().int().positive());
const flag = z.enum(['true', 'false', '1', '0', '']).transform((v) => v === 'true' || v === '1');

const origins = z
  .string()
  .transform((s) =>
    s
      .split(',')
      .map((o) => o.trim())
      .filter(Boolean),
  )
  .pipe(
    z.array(
      z.string().refine((o) => o === 'null' || /^https?:\/\/[^/]+$/.test(o), {
        message: 'each origin is scheme://host[:port] with no path, e.g. https://chat.example.com',
      }),
    ),
  );

/** ADMIN_EMAILS: comma-separated, compared lower-case (emails are stored lower-case). */
const emails = z
  .string()
  .transform((s) =>
    s
      .split(',')
      .map((e) => e.trim().toLowerCase())
      .filter(Boolean),
  )
  .pipe(z.array(z.email({ message: 'each entry is an email address, e.g. ops@example.com' })));

const EnvSchema = z.object({
  PORT: port.default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATA_DIR: z.string().min(1).default('./data'),
  ALLOWED_ORIGINS: origins.default([]),
  DATABASE_URL: z
    .string()
    .refine(
      (u) =>
        /^(postgres|postgresql):\/\//.test(u) || u.startsWith('sqlite:') || u.startsWith('file:') || !u.includes('://'),
      {
        message: 'postgres://user:password@host:port/database, or an SQLite file (a path, or sqlite:<path>)',
      },
    )
    .optional(),
  REDIS_URL: z.string().url().optional(),
  UPLOADS_DIR: z.string().min(1).optional(),
  TLS_CERT: z.string().min(1).optional(),
  TLS_KEY: z.string().min(1).optional(),
  MAX_FILE_BYTES: positiveInt.default(limits.maxFileBytes),
  MAX_FRAME_BYTES: positiveInt.default(limits.maxFrameBytes),
  MAX_BUFFERED_BYTES: positiveInt.default(1024 * 1024),
  RATE_LIMIT_MESSAGES: positiveInt.default(limits.rateLimitMessages),
  RATE_LIMIT_WINDOW_S: positiveInt.default(limits.rateLimitWindowSeconds),
  AUTH_RATE_LIMIT: positiveInt.default(20),
  HTTP_RATE_LIMIT: positiveInt.default(600),
  FACEBOOK_APP_ID: z.string().min(1).optional(),
  FACEBOOK_APP_SECRET: z.string().min(1).optional(),
  FACEBOOK_AUTHORIZE_URL: z.string().url().default('https://www.facebook.com/v19.0/dialog/oauth'),
  FACEBOOK_TOKEN_URL: z.string().url().default('https://graph.facebook.com/v19.0/oauth/access_token'),
  FACEBOOK_PROFILE_URL: z.string().url().default('https://graph.facebook.com/v19.0/me'),
  ADMIN_EMAILS: emails.default([]),
  SMTP_HOST: z.string().min(1).optional(),
  SMTP_PORT: port.default(587),
  SMTP_USER: z.string().min(1).optional(),
  SMTP_PASSWORD: z.string().min(1).optional(),
  SMTP_FROM: z.string().min(3).optional(),
  SMTP_SECURE: flag.default(false),
  WEB_URL: z
    .string()
    .regex(/^https?:\/\/[^/]+$/, { message: 'scheme://host[:port] with no path' })
    .optional(),
  PASSWORD_RESET_TTL_MINUTES: positiveInt.default(60),
  OIDC_ISSUER: z.string().url().optional(),
  OIDC_CLIENT_ID: z.string().min(1).optional(),
  OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  OIDC_NAME: z.string().trim().min(1).max(40).default('Single sign-on'),
  OIDC_SCOPES: z.string().trim().min(1).default('openid email profile'),
  PUBLIC_URL: z
    .string()
    .regex(/^https?:\/\/[^/]+$/, { message: 'scheme://host[:port] with no path' })
    .optional(),
  TRUST_PROXY: flag.default(false),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  WEB_DIST: z.string().min(1).optional(),
  PRESENCE: flag.default(true),
  PRESENCE_AWAY_S: positiveInt.default(300),
  PRESENCE_SNAPSHOT_S: positiveInt.default(15),
  POCKYCHAT_TEST_HOLD_PUBLISH: flag.default(false),
  VAPID_PUBLIC_KEY: z
    .string()
    .regex(/^[A-Za-z0-9_-]{87}$/, { message: 'a P-256 public key, base64url' })
    .optional(),
  VAPID_PRIVATE_KEY: z
    .string()
    .regex(/^[A-Za-z0-9_-]{43}$/, { message: 'a P-256 private key, base64url' })
    .optional(),
  VAPID_SUBJECT: z
    .string()
    .regex(/^(mailto:|https:\/\/)\S+$/, { message: 'mailto:address or https:// URL' })
    .default('mailto:admin@localhost'),
  PUSH_ALLOW_PRIVATE_ENDPOINTS: flag.default(false),
});

export type Config = Readonly<{
  port: number;
  host: string;
  dataDir: string;
  allowedOrigins: readonly string[];
  /** Where the data lives: an SQLite file (the default, in DATA_DIR) or a PostgreSQL URL. */
  database: { kind: 'sqlite'; path: string } | { kind: 'postgres'; url: string };
  /** Kept for the tests and tools that open the SQLite file directly. */
  sqlitePath: string;
  redisUrl: string | undefined;
  /** Uploaded files; with several nodes, a directory they all share. */
  uploadsDir: string;
  tls: { cert: string; key: string } | undefined;
  maxFileBytes: number;
  maxFrameBytes: number;
  /** A connection with more than this many bytes waiting to be sent is cut off (a slow reader). */
  maxBufferedBytes: number;
  rateLimit: { messages: number; windowMs: number };
  /** Requests a minute per client address to each sign-in route (guest, register, login, Facebook). */
  authRateLimit: number;
  /** HTTP requests a minute per client address, over every route without a tighter limit. */
  httpRateLimit: number;
  facebook: FacebookConfig | undefined;
  /** The accounts with these emails are the server's admins (beside the first account registered). */
  adminEmails: readonly string[];
  /** Password reset by email: off without SMTP_HOST. */
  passwordReset: PasswordResetConfig | undefined;
  /** Sign-in with an OpenID Connect provider: off without OIDC_ISSUER. */
  oidc: OidcConfig | undefined;
  publicUrl: string | undefined;
  trustProxy: boolean;
  logLevel: string;
  webDist: string;
  /**
   * Online / away / offline (PRESENCE, on by default): away after
   * PRESENCE_AWAY_S without activity; each node's snapshot of its users every
   * PRESENCE_SNAPSHOT_S, a dead node's users offline after three missed.
   */
  presence: { awayAfterMs: number; snapshotEveryMs: number } | undefined;
  /**
   * Test only (POCKYCHAT_TEST_HOLD_PUBLISH=1): with Redis, the node commits
   * and acks but never publishes on Redis nor sweeps the outbox, as a node
   * killed between its commit and its publish would.
   */
  testHoldPublish: boolean;
  push: PushConfig;
}>;

export interface PushConfig {
  /** VAPID keys given by the environment (several nodes share them); else DATA_DIR/vapid.json. */
  vapidKeys: { publicKey: string; privateKey: string } | undefined;
  vapidSubject: string;
  /** Tests only: push endpoints on loopback or private addresses are accepted. */
  allowPrivateEndpoints: boolean;
}

export interface FacebookConfig {
  appId: string;
  appSecret: string;
  authorizeUrl: string;
  tokenUrl: string;
  profileUrl: string;
}

export interface SmtpConfig {
  host: string;
  port: number;
  /** Implicit TLS from the first byte (port 465); otherwise STARTTLS when the server offers it. */
  secure: boolean;
  auth: { user: string; pass: string } | undefined;
  from: string;
}

export interface PasswordResetConfig {
  smtp: SmtpConfig;
  /** The web client's origin: the mail's link is <webUrl>/#reset=<token>. */
  webUrl: string;
  ttlMs: number;
}

export interface OidcConfig {
  issuer: string;
  clientId: string;
  clientSecret: string | undefined;
  /** The sign-in button's label. */
  name: string;
  scopes: string;
}

export class ConfigError extends Error {}

const defaultWebDist = path.resolve(import.meta.dirname, '../../web/dist');

/** Parses the environment; throws a ConfigError listing every bad value at once. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = EnvSchema.safeParse(present);
  if (!parsed.success) {
    const lines = parsed.error.issues.map(
      (i) => `  ${i.path.join('.')}: ${i.message} (got ${JSON.stringify(present[String(i.path[0])])})`,
    );
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  if (Boolean(e.FACEBOOK_APP_ID) !== Boolean(e.FACEBOOK_APP_SECRET)) {
    throw new ConfigError('invalid configuration:\n  FACEBOOK_APP_ID and FACEBOOK_APP_SECRET must be given together');
  }
  if (Boolean(e.VAPID_PUBLIC_KEY) !== Boolean(e.VAPID_PRIVATE_KEY)) {
    throw new ConfigError('invalid configuration:\n  VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY must be given together');
  }
  if (Boolean(e.TLS_CERT) !== Boolean(e.TLS_KEY)) {
    throw new ConfigError('invalid configuration:\n  TLS_CERT and TLS_KEY must be given together');
  }
  const problems = pairProblems(e);
  if (problems.length > 0) throw new ConfigError(`invalid configuration:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  const dataDir = path.resolve(e.DATA_DIR);
  return Object.freeze({
    port: e.PORT,
    host: e.HOST,
    dataDir,
    allowedOrigins: Object.freeze(e.ALLOWED_ORIGINS),
    database: /^postgres(ql)?:\/\//.test(e.DATABASE_URL ?? '')
      ? { kind: 'postgres' as const, url: e.DATABASE_URL as string }
      : { kind: 'sqlite' as const, path: sqlitePathOf(e.DATABASE_URL, dataDir) },
    sqlitePath: sqlitePathOf(/^postgres/.test(e.DATABASE_URL ?? '') ? undefined : e.DATABASE_URL, dataDir),
    redisUrl: e.REDIS_URL,
    uploadsDir: path.resolve(e.UPLOADS_DIR ?? path.join(dataDir, 'uploads')),
    tls: e.TLS_CERT && e.TLS_KEY ? { cert: e.TLS_CERT, key: e.TLS_KEY } : undefined,
    maxFileBytes: e.MAX_FILE_BYTES,
    maxFrameBytes: e.MAX_FRAME_BYTES,
    maxBufferedBytes: e.MAX_BUFFERED_BYTES,
    rateLimit: { messages: e.RATE_LIMIT_MESSAGES, windowMs: e.RATE_LIMIT_WINDOW_S * 1000 },
    authRateLimit: e.AUTH_RATE_LIMIT,
    httpRateLimit: e.HTTP_RATE_LIMIT,
    facebook:
      e.FACEBOOK_APP_ID && e.FACEBOOK_APP_SECRET
        ? {
            appId: e.FACEBOOK_APP_ID,
            appSecret: e.FACEBOOK_APP_SECRET,
            authorizeUrl: e.FACEBOOK_AUTHORIZE_URL,
            tokenUrl: e.FACEBOOK_TOKEN_URL,
            profileUrl: e.FACEBOOK_PROFILE_URL,
          }
        : undefined,
    adminEmails: Object.freeze(e.ADMIN_EMAILS),
    passwordReset: passwordResetOf(e),
    oidc:
      e.OIDC_ISSUER && e.OIDC_CLIENT_ID
        ? {
            issuer: e.OIDC_ISSUER,
            clientId: e.OIDC_CLIENT_ID,
            clientSecret: e.OIDC_CLIENT_SECRET,
            name: e.OIDC_NAME,
            scopes: e.OIDC_SCOPES,
          }
        : undefined,
    publicUrl: e.PUBLIC_URL,
    trustProxy: e.TRUST_PROXY,
    logLevel: e.LOG_LEVEL,
    webDist: e.WEB_DIST ? path.resolve(e.WEB_DIST) : defaultWebDist,
    presence: e.PRESENCE
      ? Object.freeze({ awayAfterMs: e.PRESENCE_AWAY_S * 1000, snapshotEveryMs: e.PRESENCE_SNAPSHOT_S * 1000 })
      : undefined,
    testHoldPublish: e.POCKYCHAT_TEST_HOLD_PUBLISH,
    push: Object.freeze({
      vapidKeys:
        e.VAPID_PUBLIC_KEY && e.VAPID_PRIVATE_KEY
          ? { publicKey: e.VAPID_PUBLIC_KEY, privateKey: e.VAPID_PRIVATE_KEY }
          : undefined,
      vapidSubject: e.VAPID_SUBJECT,
      allowPrivateEndpoints: e.PUSH_ALLOW_PRIVATE_ENDPOINTS,
    }),
  });
}

type Env = z.infer<typeof EnvSchema>;

/** The settings that only make sense together. */
function pairProblems(e: Env): string[] {
  const problems: string[] = [];
  if (Boolean(e.SMTP_USER) !== Boolean(e.SMTP_PASSWORD))
    problems.push('SMTP_USER and SMTP_PASSWORD must be given together');
  if (e.SMTP_HOST && !e.SMTP_FROM)
    problems.push('SMTP_FROM (the sender of password reset mails) is needed with SMTP_HOST');
  // Never the request's Host header: a forged one would mail people a link to someone else's site.
  if (e.SMTP_HOST && !e.WEB_URL && !e.PUBLIC_URL) {
    problems.push('WEB_URL or PUBLIC_URL (where the reset link points) is needed with SMTP_HOST');
  }
  if (Boolean(e.OIDC_ISSUER) !== Boolean(e.OIDC_CLIENT_ID)) {
    problems.push('OIDC_ISSUER and OIDC_CLIENT_ID must be given together');
  }
  return problems;
}

function passwordResetOf(e: Env): PasswordResetConfig | undefined {
  const webUrl = e.WEB_URL ?? e.PUBLIC_URL;
  if (!e.SMTP_HOST || !e.SMTP_FROM || !webUrl) return undefined;
  return {
    smtp: {
      host: e.SMTP_HOST,
      port: e.SMTP_PORT,
      secure: e.SMTP_SECURE,
      auth: e.SMTP_USER && e.SMTP_PASSWORD ? { user: e.SMTP_USER, pass: e.SMTP_PASSWORD } : undefined,
      from: e.SMTP_FROM,
    },
    webUrl,
    ttlMs: e.PASSWORD_RESET_TTL_MINUTES * 60_000,
  };
}

function sqlitePathOf(url: string | undefined, dataDir: string): string {
  if (!url) return path.join(dataDir, 'pockychat.sqlite');
  const file = url.replace(/^sqlite:(\/\/)?/, '').replace(/^file:(\/\/)?/, '');
  return path.resolve(file);
}
