import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type {} from '@fastify/rate-limit';
import fastifyPassport from '@fastify/passport';
import { Strategy as FacebookStrategy, type Profile } from 'passport-facebook';
import { Strategy as LocalStrategy } from 'passport-local';
import { GuestBody, LoginBody, RegisterBody } from '@pockychat/protocol';
import type { Accounts, SignedIn } from '../chat/accounts.ts';
import { ChatError } from '../chat/chat-error.ts';
import type { Identity } from '../chat/identity.ts';
import type { FacebookConfig } from '../config.ts';
import { CookieStateStore } from './oauth-state.ts';
import { isAllowedOrigin } from './origin.ts';
import { refusedSignIn } from './sign-in-failure.ts';
import { parse } from './parse.ts';
import type { HttpSession } from './session.ts';

export interface AuthDeps {
  identity: Identity;
  accounts: Accounts;
  session: HttpSession;
  facebook: FacebookConfig | undefined;
  allowedOrigins: readonly string[];
  publicUrl: string | undefined;
  secureCookies: boolean;
  /** Requests a minute per client address to each sign-in route (AUTH_RATE_LIMIT). */
  signInsPerMinute: number;
}

type Authenticator = InstanceType<typeof fastifyPassport.Authenticator>;

const RETURN_COOKIE = 'pocky_oauth_return';

/** /auth/*: guest, register, login (Passport local), Facebook (Passport OAuth 2), logout, and /me. */
export async function registerAuthRoutes(app: FastifyInstance, deps: AuthDeps): Promise<void> {
  const { identity, accounts, session } = deps;
  const signInLimit = signInLimitOf(deps);
  // Passport runs with callbacks and no server session: identity is a token
  // (or its cookie). Its initialize() plugin pulls in @fastify/flash, which
  // insists on a `session` decorator it only reads when flashing, which
  // callbacks never do: an empty one satisfies it.
  const passport = new fastifyPassport.Authenticator({ key: 'pockychat', userProperty: 'passportUser' });
  app.decorateRequest('session', null);
  await app.register(passport.initialize());

  // The guest a sign-in took along was told to reconnect by Accounts; here only the cookie and the log.
  const signedIn = async (request: FastifyRequest, reply: FastifyReply, result: SignedIn) => {
    session.setCookie(reply, result.token);
    request.log.info({ user: result.user.id, kind: result.user.kind, merged: result.mergedGuestId }, 'signed in');
  };

  app.post('/auth/guest', { config: signInLimit }, async (request, reply) => {
    const body = parse(GuestBody, request.body);
    const { user, token } = await identity.createGuest(body.name);
    session.setCookie(reply, token);
    return { user, token };
  });

  app.post('/auth/register', { config: signInLimit }, async (request, reply) => {
    const body = parse(RegisterBody, request.body);
    const result = await accounts.register(body, await session.current(request));
    await signedIn(request, reply, result);
    return reply.code(201).send({ user: result.user, token: result.token });
  });

  passport.use(
    'local',
    new LocalStrategy(
      { usernameField: 'email', passwordField: 'password', passReqToCallback: true, session: false },
      (req, email, password, done) => {
        const request = req as unknown as FastifyRequest;
        void session
          .current(request)
          .then((previous) => accounts.login({ email, password }, previous))
          .then((result) => done(null, result))
          .catch((err: unknown) => done(err));
      },
    ),
  );
  app.post(
    '/auth/login',
    {
      config: signInLimit,
      preValidation: async (request) => {
        request.body = parse(LoginBody, request.body);
      },
    },
    passport.authenticate('local', { session: false }, async (request, reply, err, user) => {
      if (err) throw err;
      if (!user) throw new ChatError('bad_credentials', 'wrong email or password');
      const result = user as SignedIn;
      await signedIn(request, reply, result);
      return reply.send({ user: result.user, token: result.token });
    }),
  );

  app.post('/auth/logout', async (request, reply) => {
    await session.logout(request, reply);
    return reply.code(204).send();
  });

  app.get('/me', async (request) => ({ user: await session.require(request) }));

  if (deps.facebook) registerFacebook(app, passport, deps, deps.facebook, signedIn);
  else {
    app.get('/auth/facebook', async () => {
      throw new ChatError('not_found', 'Facebook sign-in is not configured on this server');
    });
  }
}

/** Sign-in endpoints are brute-force targets: a tight per-address limit beside the per-email one. */
function signInLimitOf(deps: AuthDeps) {
  return { rateLimit: { max: deps.signInsPerMinute, timeWindow: '1 minute' } };
}

function registerFacebook(
  app: FastifyInstance,
  passport: Authenticator,
  deps: AuthDeps,
  facebook: FacebookConfig,
  signedIn: (request: FastifyRequest, reply: FastifyReply, result: SignedIn) => Promise<void>,
): void {
  const stateStore = new CookieStateStore(deps.secureCookies);
  const signInLimit = signInLimitOf(deps);
  passport.use(
    'facebook',
    new FacebookStrategy(
      {
        clientID: facebook.appId,
        clientSecret: facebook.appSecret,
        callbackURL: '/auth/facebook/callback',
        authorizationURL: facebook.authorizeUrl,
        tokenURL: facebook.tokenUrl,
        profileURL: facebook.profileUrl,
        profileFields: ['id', 'name', 'displayName'],
        store: stateStore as never,
        enableProof: true,
      },
      (_accessToken: string, _refreshToken: string, profile: Profile, done: (err: unknown, user?: unknown) => void) => {
        done(null, { id: String(profile.id), name: profile.displayName || 'Facebook user' });
      },
    ),
  );
  const callbackUrl = (request: FastifyRequest) =>
    `${deps.publicUrl ?? `${request.protocol}://${request.host}`}/auth/facebook/callback`;
  const onRequest = async (request: FastifyRequest, reply: FastifyReply) => stateStore.remember(request, reply);

  // ?return=<an allowed origin> sends a web client hosted elsewhere its token in the URL fragment.
  app.get('/auth/facebook', { onRequest, config: signInLimit }, async (request, reply) => {
    const back = (request.query as { return?: unknown }).return;
    if (typeof back === 'string' && deps.allowedOrigins.includes(back)) {
      reply.setCookie(RETURN_COOKIE, back, {
        path: '/auth/facebook',
        httpOnly: true,
        sameSite: 'lax',
        secure: deps.secureCookies,
        maxAge: 600,
      });
    } else {
      // A sign-in started and abandoned with ?return must not steer this one.
      reply.clearCookie(RETURN_COOKIE, { path: '/auth/facebook' });
    }
    const handler = passport.authenticate('facebook', { session: false, callbackURL: callbackUrl(request) } as never);
    return handler.call(app, request, reply);
  });

  app.get('/auth/facebook/callback', { onRequest, config: signInLimit }, async (request, reply) => {
    const handler = passport.authenticate(
      'facebook',
      { session: false, callbackURL: callbackUrl(request) } as never,
      async (req: FastifyRequest, rep: FastifyReply, err: unknown, profile: unknown) => {
        const returnTo = req.cookies[RETURN_COOKIE];
        const back = returnTo && deps.allowedOrigins.includes(returnTo) ? returnTo : undefined;
        rep.clearCookie(RETURN_COOKIE, { path: '/auth/facebook' });
        let result;
        try {
          if (err) throw new ChatError('forbidden', 'Facebook sign-in failed: start again');
          if (!profile) throw new ChatError('forbidden', 'the sign-in state does not match: start again');
          result = await deps.accounts.facebook(
            profile as { id: string; name: string },
            await deps.session.current(req),
          );
        } catch (refusal) {
          // A browser is shown why on the client's page; an API client gets the 403.
          return refusedSignIn(req, rep, back, refusal);
        }
        await signedIn(req, rep, result);
        const crossOrigin = back && !isAllowedOrigin(back, req.headers.host, []);
        return rep.redirect(crossOrigin ? `${back}/#access_token=${encodeURIComponent(result.token)}` : '/');
      },
    );
    return handler.call(app, request, reply);
  });
}
