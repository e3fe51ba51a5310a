import { PasswordReset } from '../chat/password-reset.ts';
import { SmtpMailer } from '../mail/smtp-mailer.ts';
import { OidcClient } from '../transport/oidc-client.ts';
import { registerOidcRoutes } from '../transport/oidc-routes.ts';
import { registerPasswordResetRoutes } from '../transport/password-reset-routes.ts';
import type { Feature, WiringBase } from './feature.ts';
import type { People } from './identity.ts';

export interface SignIns extends Feature {
  /** Password reset by email, when SMTP is configured. */
  reset: PasswordReset | undefined;
}

/** Password reset by email and OpenID Connect sign-in, each on when configured; /auth/options says which. */
export function wireSignIns(base: WiringBase, people: People): SignIns {
  const { config, log, store, clock, http } = base;
  const mailer = config.passwordReset && new SmtpMailer(config.passwordReset.smtp);
  const reset =
    config.passwordReset &&
    mailer &&
    new PasswordReset({
      store,
      identity: people.identity,
      clock,
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
    accounts: people.accounts,
    session: people.session,
    allowedOrigins: config.allowedOrigins,
    publicUrl: config.publicUrl,
    secureCookies: Boolean(config.tls),
    signInsPerMinute: config.authRateLimit,
  });
  return {
    reset,
    async close() {
      // The reset mails under way use the store, closed after this: they go (or fail) first.
      await reset?.idle();
      mailer?.close();
    },
  };
}
