import { Accounts } from '../chat/accounts.ts';
import { Admins } from '../chat/admin.ts';
import { Identity } from '../chat/identity.ts';
import { registerAdminRoutes } from '../transport/admin-routes.ts';
import { registerAuthRoutes } from '../transport/auth-routes.ts';
import { HttpSession } from '../transport/session.ts';
import type { WiringBase } from './feature.ts';

export interface People {
  identity: Identity;
  accounts: Accounts;
  /** Who an HTTP request is: every feature's routes ask it. */
  session: HttpSession;
}

/** Who people are: guests, accounts, admins, the session cookie; /auth/*, /me and /admin/*. */
export async function wireIdentity(base: WiringBase): Promise<People> {
  const { config, store, fanout, clock, http } = base;
  const identity = new Identity({ store, clock, fanout });
  const admins = new Admins({ store: store.admins, users: store, identity, clock, adminEmails: config.adminEmails });
  await admins.start();
  const accounts = new Accounts({ store, identity, clock, admins });
  const session = new HttpSession(identity, Boolean(config.tls));
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
  registerAdminRoutes(http, { admins, session });
  return { identity, accounts, session };
}
