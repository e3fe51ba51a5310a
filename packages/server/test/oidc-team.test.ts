import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { register, uniqueEmail } from './helpers/accounts.ts';
import { Browser } from './helpers/browser.ts';
import { api } from './helpers/clients.ts';
import { oidcSignIn, startOidcProvider, type TestOidcProvider, type OidcPerson } from './helpers/oidc-provider.ts';
import { startTestServer, type TestServer } from './helpers/test-server.ts';

/** Admins and deactivation through OpenID Connect sign-in, against a real local provider (oidc-provider). */
describe('running a team with OpenID Connect accounts', () => {
  let provider: TestOidcProvider;
  let server: TestServer;
  let subs = 0;
  before(async () => {
    provider = await startOidcProvider();
    server = await startTestServer({
      env: { ...provider.env, AUTH_RATE_LIMIT: '1000', ADMIN_EMAILS: 'SSO.Boss@Example.test' },
    });
    provider.register(`${server.url}/auth/oidc/callback`);
  });
  after(async () => {
    await server.close();
    await provider.close();
  });

  /** Signs in through the provider in a fresh browser: the callback's answer, and the session's token and /me. */
  const signIn = async (person: OidcPerson, accept?: string) => {
    const app = new Browser(server.url);
    const flow = await oidcSignIn(app, new Browser(provider.issuer), provider, person, accept ? { accept } : {});
    const token = app.cookie('pocky_session');
    const me = token ? (await api(server.url, token, '/me')).body : undefined;
    const status = flow.callback.status;
    const location = flow.callback.headers.get('location');
    const body = (status === 302 ? undefined : await flow.callback.json()) as any;
    return { status, body, token, me, location: location ? new URL(location, server.url) : undefined };
  };

  test('OT1 an OIDC account whose verified email is in ADMIN_EMAILS is an admin; unverified, or another email, is not', async () => {
    // The first account of the server is the admin anyway: it is an email one, so what follows is ADMIN_EMAILS' doing.
    const first = await register(server.url, { email: uniqueEmail('first'), name: 'First' });
    assert.equal(first.user.admin, true);

    const unverified = await signIn({ sub: `s-${++subs}`, name: 'Not Sure', email: 'sso.boss@example.test' });
    assert.equal(unverified.status, 302);
    assert.equal(unverified.me.user.kind, 'oidc');
    assert.equal(unverified.me.user.admin, undefined, 'an unverified email is not taken for the admin’s');

    const other = await signIn({ sub: `s-${++subs}`, name: 'Olly', email: 'olly@example.test', email_verified: true });
    assert.equal(other.me.user.admin, undefined);

    const boss = { sub: `s-${++subs}`, name: 'Sso Boss', email: 'sso.boss@example.test', email_verified: true };
    const made = await signIn(boss);
    assert.equal(made.status, 302);
    assert.deepEqual({ kind: made.me.user.kind, admin: made.me.user.admin }, { kind: 'oidc', admin: true });
    assert.equal((await api(server.url, made.token, '/admin/users')).status, 200, 'and may use the admin’s calls');
    const again = await signIn(boss);
    assert.deepEqual(again.me.user, made.me.user, 'signing in again is the same admin');
  });

  test('OT2 a deactivated OIDC account is refused at sign-in (403, as with Facebook) until reactivated', async () => {
    // The admin here is the OIDC one of ADMIN_EMAILS (another subject, linked by its verified email).
    const admin = await signInAdmin();
    assert.equal(admin.me.user.admin, true);
    const adminToken = admin.token as string;
    const person = { sub: `s-${++subs}`, name: 'Dee Sso', email: 'dee.sso@example.test', email_verified: true };
    const dee = await signIn(person);
    assert.equal(dee.status, 302);
    const deeId = dee.me.user.id as string;

    const deactivate = await api(server.url, adminToken, `/admin/users/${deeId}/deactivate`, { method: 'POST' });
    assert.equal(deactivate.status, 204);
    assert.equal((await api(server.url, dee.token, '/me')).status, 401, 'its session ended');
    const refused = await signIn(person);
    assert.equal(refused.status, 403);
    assert.equal(refused.body.error.code, 'forbidden');
    assert.match(refused.body.error.message, /deactivated/);
    assert.equal(refused.token, undefined, 'no session cookie');
    // A browser's navigation is sent back to the web client, which shows the reason.
    const page = await signIn(person, 'text/html,application/xhtml+xml,*/*;q=0.8');
    assert.equal(page.status, 302);
    assert.equal(page.token, undefined, 'no session cookie');
    assert.equal(page.location?.pathname, '/');
    assert.match(page.location?.searchParams.get('signin_error') ?? '', /deactivated/);

    const plain = await register(server.url, { email: uniqueEmail('plain'), name: 'Plain' });
    const path = `/admin/users/${deeId}/reactivate`;
    assert.equal((await api(server.url, plain.token, path, { method: 'POST' })).status, 403, 'not by a non-admin');
    assert.equal((await api(server.url, adminToken, path, { method: 'POST' })).status, 204);
    const back = await signIn(person);
    assert.equal(back.status, 302);
    assert.equal(back.me.user.id, deeId, 'the same account');
  });

  /** The ADMIN_EMAILS admin: OT1's account (linked by the verified email), or a new one if OT1 did not run. */
  const signInAdmin = () =>
    signIn({ sub: 's-admin', name: 'Sso Boss', email: 'sso.boss@example.test', email_verified: true });
});
