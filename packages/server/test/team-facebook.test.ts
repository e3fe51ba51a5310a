import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { register, uniqueEmail } from './helpers/accounts.ts';
import { Browser } from './helpers/browser.ts';
import { api } from './helpers/clients.ts';
import { facebookSignIn, startFakeFacebook, type FakeFacebook } from './helpers/oauth-provider.ts';
import { startTestServer, type TestServer } from './helpers/test-server.ts';

/** Admins and deactivation through Facebook sign-in, against a real local OAuth 2 provider. */
describe('running a team with Facebook accounts', () => {
  let provider: FakeFacebook;
  let server: TestServer;
  before(async () => {
    provider = await startFakeFacebook();
    server = await startTestServer({ env: { ...provider.env, AUTH_RATE_LIMIT: '1000' } });
  });
  after(async () => {
    await server.close();
    await provider.close();
  });

  /** Signs in through Facebook; the callback's answer, and the session's user and token if it went through. */
  const signIn = async (id: string, name: string, accept?: string) => {
    const browser = new Browser(server.url);
    const flow = await facebookSignIn(browser, provider, { id, name }, accept ? { accept } : {});
    const token = browser.cookie('pocky_session');
    const me = token ? (await api(server.url, token, '/me')).body : undefined;
    const location = flow.callback.headers.get('location');
    return {
      location: location ? new URL(location, server.url) : undefined,
      status: flow.callback.status,
      body: (flow.callback.status === 302 ? undefined : await flow.callback.json()) as any,
      token,
      me,
    };
  };

  test('a first account made by Facebook is the admin; the next is not; a deactivated one cannot sign in until reactivated', async () => {
    const first = await signIn('3001', 'Fay First');
    assert.equal(first.status, 302);
    assert.equal(first.me.user.admin, true, 'the first account, by Facebook');
    const later = await register(server.url, { email: uniqueEmail('later'), name: 'Later' });
    assert.equal(later.user.admin, undefined);
    const second = await signIn('3002', 'Sam Second');
    assert.equal(second.me.user.admin, undefined);
    const samId = second.me.user.id as string;

    const deactivate = await api(server.url, first.token, `/admin/users/${samId}/deactivate`, { method: 'POST' });
    assert.equal(deactivate.status, 204);
    assert.equal((await api(server.url, second.token, '/me')).status, 401);
    const refused = await signIn('3002', 'Sam Second');
    assert.equal(refused.status, 403);
    assert.match(refused.body.error.message, /deactivated/);
    // A browser's navigation is sent back to the web client, which shows the reason.
    const page = await signIn('3002', 'Sam Second', 'text/html,application/xhtml+xml,*/*;q=0.8');
    assert.equal(page.status, 302);
    assert.equal(page.token, undefined, 'no session cookie');
    assert.equal(page.location?.pathname, '/');
    assert.match(page.location?.searchParams.get('signin_error') ?? '', /deactivated/);

    assert.equal(
      (await api(server.url, later.token, `/admin/users/${samId}/reactivate`, { method: 'POST' })).status,
      403,
    );
    assert.equal(
      (await api(server.url, first.token, `/admin/users/${samId}/reactivate`, { method: 'POST' })).status,
      204,
    );
    const back = await signIn('3002', 'Sam Second');
    assert.equal(back.status, 302);
    assert.equal(back.me.user.id, samId);
  });
});
