import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { ChatClient, api, guestWithCookie } from './helpers/clients.ts';
import { upgradeStatus } from './helpers/raw-socket.ts';
import { spawnServer, tempDataDir, type SpawnedServer } from './helpers/test-server.ts';

/** Structured logs, with no token and no message text at info level. */
describe('logs', () => {
  let server: SpawnedServer | undefined;
  after(async () => {
    await server?.stop('SIGKILL');
  });

  test('at info level, logs are JSON lines that never hold a token, a cookie or message text', async () => {
    server = await spawnServer({ dataDir: tempDataDir(), env: { LOG_LEVEL: 'info' } });
    const secretText = `the-zebra-sings-at-midnight-${Math.random().toString(36).slice(2)}`;
    const ann = await guestWithCookie(server.url);

    // The token travels every way the server accepts it.
    assert.equal((await api(server.url, ann.token, '/me')).status, 200);
    assert.equal((await api(server.url, undefined, `/me?access_token=${ann.token}`)).status, 200);
    assert.equal((await api(server.url, undefined, '/rooms', { headers: { cookie: ann.cookie } })).status, 200);
    assert.equal(await upgradeStatus(server.url, { token: `${ann.token}x` }), 401);

    const client = await ChatClient.connect(server.url, ann.token);
    await client.join('lobby');
    client.send({ type: 'send', room: 'lobby', clientId: 'log-1', text: secretText });
    assert.equal((await client.next('ack')).message.text, secretText);
    // A refused frame carrying the text, and one that cannot be parsed.
    client.send({ type: 'send', room: 'lobby', clientId: 'log-2', text: `${secretText}${'x'.repeat(4000)}` });
    client.send({ type: 'send', room: 'nope nope', clientId: 'log-3', text: secretText });
    await client.next('error', (e) => e.ref === 'log-3');
    const history = await api(server.url, ann.token, `/history?room=lobby&since=0`);
    assert.equal(history.body.messages[0].text, secretText);
    client.close();
    assert.equal((await api(server.url, ann.token, '/auth/logout', { method: 'POST' })).status, 204);
    assert.equal(await server.stop('SIGTERM'), 0);

    const { stdout, stderr } = server.output();
    for (const [name, output] of [
      ['stdout', stdout],
      ['stderr', stderr],
    ] as const) {
      assert.ok(!output.includes(ann.token), `${name} holds the token`);
      assert.ok(!output.includes(ann.cookie), `${name} holds the session cookie`);
      assert.ok(!output.includes(secretText), `${name} holds the message text`);
    }
    const lines = stdout.split('\n').filter(Boolean);
    const records = lines.map((line) => JSON.parse(line) as { level: number; msg: string; req?: { url?: string } });
    assert.ok(
      records.every((r) => typeof r.level === 'number' && typeof r.msg === 'string'),
      'pino JSON lines',
    );
    // Not vacuous: the requests were logged, their URLs without the query string.
    const urls = records.flatMap((r) => (r.req?.url ? [r.req.url] : []));
    assert.ok(urls.includes('/me'), `requests are logged: ${urls.join(' ')}`);
    assert.ok(
      urls.every((url) => !url.includes('?')),
      'no query string in logged URLs',
    );
  });
});
