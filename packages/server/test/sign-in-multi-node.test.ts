import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Browser } from './helpers/browser.ts';
import { ChatClient, api } from './helpers/clients.ts';
import { oidcSignIn, startOidcProvider, type TestOidcProvider } from './helpers/oidc-provider.ts';
import { PgRedisCluster } from './helpers/pg-redis-cluster.ts';
import { startSmtpServer, type SmtpServer } from './helpers/smtp-server.ts';
import type { SpawnedServer } from './helpers/test-server.ts';
import { waitFor } from './helpers/wait-for.ts';

/** The address the load balancer would have: both nodes are told it is theirs. */
const PUBLIC_URL = 'http://chat.example.test';

describe('sign-in across two nodes on PostgreSQL and Redis', () => {
  let cluster: PgRedisCluster;
  let smtp: SmtpServer;
  let provider: TestOidcProvider;
  let a: SpawnedServer;
  let b: SpawnedServer;
  before(async () => {
    [smtp, provider] = await Promise.all([startSmtpServer(), startOidcProvider()]);
    provider.register(`${PUBLIC_URL}/auth/oidc/callback`);
    cluster = await PgRedisCluster.start('sign_in_nodes', 0);
    const env = { ...smtp.env, ...provider.env, PUBLIC_URL };
    [a, b] = (await cluster.addNodes(2, env)) as [SpawnedServer, SpawnedServer];
  });
  after(async () => {
    await cluster?.stop();
    await provider?.close();
    await smtp?.close();
  });

  test('M1 a reset confirmed on node B closes the session’s connection open on node A', async () => {
    const email = 'nodes@example.test';
    const registered = await api(a.url, undefined, '/auth/register', {
      method: 'POST',
      body: JSON.stringify({ email, password: 'old password 1', name: 'Noda' }),
    });
    assert.equal(registered.status, 201);
    const socket = await ChatClient.connect(a.url, registered.body.token);
    await socket.join('lobby');

    const post = (path: string, body: unknown) =>
      api(b.url, undefined, path, { method: 'POST', body: JSON.stringify(body) });
    assert.equal((await post('/auth/password-reset', { email })).status, 202);
    const mail = await smtp.mailTo(email);
    const token = /#reset=([A-Za-z0-9_-]+)/.exec(mail.text)?.[1];
    assert.ok(token && mail.text.includes(`${PUBLIC_URL}/#reset=`), mail.text);
    assert.equal((await post('/auth/password-reset/confirm', { token, password: 'new password 2' })).status, 204);

    assert.equal((await socket.next('error')).code, 'unauthenticated');
    await waitFor(() => socket.closed, { what: 'the connection on node A to close' });
    assert.equal((await api(a.url, registered.body.token, '/me')).status, 401);
    const login = await api(a.url, undefined, '/auth/login', {
      method: 'POST',
      body: JSON.stringify({ email, password: 'new password 2' }),
    });
    assert.equal(login.status, 200);
  });

  test('M3 five reset mails an hour per account across the nodes, though each node counts its own requests', async () => {
    const email = 'limits@example.test';
    for (const [node, address] of [
      [a, email],
      [a, 'marker-a@example.test'],
      [b, 'marker-b@example.test'],
    ] as const) {
      const registered = await api(node.url, undefined, '/auth/register', {
        method: 'POST',
        body: JSON.stringify({ email: address, password: 'a password 1', name: 'Limits' }),
      });
      assert.equal(registered.status, 201);
    }
    const request = async (node: SpawnedServer, address: string) => {
      const answer = await api(node.url, undefined, '/auth/password-reset', {
        method: 'POST',
        body: JSON.stringify({ email: address }),
      });
      assert.equal(answer.status, 202, 'each node lets five requests an hour through');
    };
    const mailsTo = (address: string) => smtp.mails().filter((mail) => mail.to.includes(address)).length;
    // Three on A, two on B: five mails, each waited for.
    for (const [i, node] of [a, a, a, b, b].entries()) {
      await request(node, email);
      await smtp.mailTo(email, i + 1);
    }
    // Over the account's five: answered the same (202), no mail, on either node.
    for (const node of [b, a, a]) await request(node, email);
    // A request on each node after them, mailed: the ones before it are done.
    await request(a, 'marker-a@example.test');
    await request(b, 'marker-b@example.test');
    await smtp.mailTo('marker-a@example.test');
    await smtp.mailTo('marker-b@example.test');
    assert.equal(mailsTo(email), 5);
  });

  test('M2 an OpenID Connect sign-in started on node A ends on node B (the pending state is in the cookie)', async () => {
    const app = new Browser(a.url);
    const idp = new Browser(provider.issuer);
    let callback: URL | undefined;
    await oidcSignIn(
      app,
      idp,
      provider,
      { sub: 'nodes-sub', name: 'Node Hopper' },
      {
        // Sent to node B without node A's cookie first: refused before the code is spent.
        tamper: (url) => {
          url.protocol = 'http:';
          url.host = new URL(b.url).host;
          callback = new URL(url.href);
        },
      },
    );
    const ended = await fetch((callback as URL).href, { headers: { cookie: app.cookieHeader }, redirect: 'manual' });
    assert.equal(ended.status, 302);
    assert.equal(ended.headers.get('location'), '/');
    const session = ended.headers
      .getSetCookie()
      .find((line) => line.startsWith('pocky_session='))
      ?.split(';')[0];
    assert.ok(session);
    const me = await api(a.url, undefined, '/me', { headers: { cookie: session } });
    assert.deepEqual({ name: me.body.user.name, kind: me.body.user.kind }, { name: 'Node Hopper', kind: 'oidc' });
  });
});
