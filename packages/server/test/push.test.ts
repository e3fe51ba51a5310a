import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { dmRoomName, type AuthAnswer, type User } from '@pockychat/protocol';
import { ChatClient, api, guest } from './helpers/clients.ts';
import { TestPushEndpoint, type ReceivedPush, type TestSubscription } from './helpers/push-endpoint.ts';
import { startTestServer, tempDataDir, type TestServer } from './helpers/test-server.ts';
import { waitFor } from './helpers/wait-for.ts';

/**
 * Web Push end to end: a real server pushes to a local HTTPS push service
 * that checks the VAPID JWT and decrypts the aes128gcm body by hand with the
 * subscription's private key (test/helpers/push-endpoint.ts).
 */
describe('web push', () => {
  let endpoint: TestPushEndpoint;
  let server: TestServer;
  let publicKey: string;
  let n = 0;

  before(async () => {
    endpoint = await TestPushEndpoint.start();
    server = await startTestServer({
      env: { PUSH_ALLOW_PRIVATE_ENDPOINTS: 'true', AUTH_RATE_LIMIT: '1000' },
      pushTls: { ca: endpoint.pem },
    });
    const someone = await guest(server.url, 'Key');
    publicKey = ((await api(server.url, someone.token, '/push/key')).body as { publicKey: string }).publicKey;
  });
  after(async () => {
    await server.close();
    await endpoint.close();
  });

  /** A guest whose browser subscribed to push (and who has no tab open). */
  async function subscribed(name: string): Promise<AuthAnswer & { subscription: TestSubscription }> {
    const who = await guest(server.url, name);
    const subscription = endpoint.subscribe();
    const answer = await api(server.url, who.token, '/push/subscriptions', {
      method: 'POST',
      body: JSON.stringify(TestPushEndpoint.body(subscription)),
    });
    assert.equal(answer.status, 201);
    return { ...who, subscription };
  }

  /** Sends a message and waits for its ack, then for every push it queued to be done. */
  async function say(client: ChatClient, room: string, text: string, mentions?: string[]) {
    const clientId = `push-${++n}`;
    client.send({ type: 'send', room, clientId, text, ...(mentions && { mentions }) });
    const ack = await client.next('ack', (f) => f.clientId === clientId);
    await server.app.pushIdle();
    return ack.message;
  }

  /** Waits for the subscription's nth push (within 5 s) and returns its pushes. */
  async function pushes(subscription: TestSubscription, count = 1): Promise<ReceivedPush[]> {
    await waitFor(() => endpoint.pushesTo(subscription).length >= count, { what: `push ${count}` });
    return endpoint.pushesTo(subscription);
  }

  async function author(name: string): Promise<{ user: User; client: ChatClient }> {
    const who = await guest(server.url, name);
    return { user: who.user, client: await ChatClient.connect(server.url, who.token) };
  }

  test('GET /push/key: the VAPID public key, made on first start into DATA_DIR/vapid.json (0600) and kept', async () => {
    assert.match(publicKey, /^[A-Za-z0-9_-]{87}$/);
    assert.equal(statSync(path.join(server.dataDir, 'vapid.json')).mode & 0o777, 0o600);
    const dataDir = tempDataDir();
    const first = await startTestServer({ dataDir });
    const key = async (s: TestServer) =>
      (await api(s.url, (await guest(s.url)).token, '/push/key')).body as { publicKey: string };
    const made = await key(first);
    await first.close();
    const again = await startTestServer({ dataDir });
    assert.deepEqual(await key(again), made);
    await again.close();
    assert.equal((await api(server.url, undefined, '/push/key')).status, 401);
  });

  test('VAPID keys given by the environment are used as they are', async () => {
    const keys = {
      publicKey: 'BBrpgvvyJQtd-k0JCWquT-V2cvlUy4Z7IcbaFd162JYV6WiRoxelZd9PjQ4soz5IdA-ExSOchBS-ovtPDqIncfw',
      privateKey: 'Ttilo_61L8G24qqr6GJhpOh05ufB2IyVrIKFcU6qSC8',
    };
    const other = await startTestServer({
      env: { VAPID_PUBLIC_KEY: keys.publicKey, VAPID_PRIVATE_KEY: keys.privateKey },
    });
    try {
      const answer = await api(other.url, (await guest(other.url)).token, '/push/key');
      assert.deepEqual(answer.body, { publicKey: keys.publicKey });
    } finally {
      await other.close();
    }
  });

  test('a DM reaches the other person’s push endpoint, decrypted to the payload, with a valid VAPID signature', async () => {
    const bob = await subscribed('Bob');
    const ann = await author('Ann');
    const room = dmRoomName(ann.user.id, bob.user.id);
    await ann.client.join(room);
    const message = await say(ann.client, room, 'hello Bob');
    const [push] = await pushes(bob.subscription);
    assert.deepEqual(push?.payload, {
      type: 'message',
      room,
      messageId: message.id,
      seq: message.seq,
      title: 'Ann',
      body: 'hello Bob',
      tag: room,
    });
    assert.equal(push?.vapidKey, publicKey);
    assert.equal(push?.claims.sub, 'mailto:admin@localhost');
    assert.equal(push?.headers.urgency, 'high');
    assert.match(push?.headers.topic ?? '', /^[A-Za-z0-9_-]{32}$/);
    assert.deepEqual(endpoint.rejected, []);
    // The author's own message never pushes to the author.
    ann.client.close();
  });

  test('a named room pushes a mention, not a plain message (default level: mentions)', async () => {
    const bob = await subscribed('Bob');
    const ann = await author('Ann');
    await ann.client.join('push-mentions', 'public');
    const bobs = await ChatClient.connect(server.url, bob.token);
    await bobs.join('push-mentions');
    bobs.close();
    await say(ann.client, 'push-mentions', 'nobody in particular');
    assert.equal(endpoint.pushesTo(bob.subscription).length, 0);
    const message = await say(ann.client, 'push-mentions', 'look @Bob', [bob.user.id]);
    const [push] = await pushes(bob.subscription);
    assert.deepEqual(push?.payload, {
      type: 'message',
      room: 'push-mentions',
      messageId: message.id,
      seq: message.seq,
      title: 'Ann in #push-mentions',
      body: 'look @Bob',
      tag: 'push-mentions',
    });
    // Level 'all': every message.
    const set = await api(server.url, bob.token, '/rooms/push-mentions/notifications', {
      method: 'PUT',
      body: JSON.stringify({ level: 'all' }),
    });
    assert.equal(set.status, 204);
    await say(ann.client, 'push-mentions', 'now everything');
    await waitFor(() => endpoint.pushesTo(bob.subscription).length === 2);
    ann.client.close();
  });

  test('preview off: the push says "New message", not the text', async () => {
    const bob = await subscribed('Bob');
    const off = await api(server.url, bob.token, '/notifications', { method: 'PUT', body: '{"preview":false}' });
    assert.equal(off.status, 204);
    const ann = await author('Ann');
    const room = dmRoomName(ann.user.id, bob.user.id);
    await ann.client.join(room);
    await say(ann.client, room, 'a secret');
    const [push] = await pushes(bob.subscription);
    assert.equal((push?.payload as { body: string }).body, 'New message');
    assert.deepEqual((await api(server.url, bob.token, '/notifications')).body, { levels: {}, preview: false });
    ann.client.close();
  });

  test('a muted room sends none; unmuted, it sends again', async () => {
    const bob = await subscribed('Bob');
    const ann = await author('Ann');
    const room = dmRoomName(ann.user.id, bob.user.id);
    await ann.client.join(room);
    const mute = await api(server.url, bob.token, `/rooms/${room}/notifications`, {
      method: 'PUT',
      body: JSON.stringify({ level: 'mute' }),
    });
    assert.equal(mute.status, 204);
    assert.deepEqual((await api(server.url, bob.token, '/notifications')).body, {
      levels: { [room]: 'mute' },
      preview: true,
    });
    await say(ann.client, room, 'muted one', [bob.user.id]);
    assert.equal(endpoint.pushesTo(bob.subscription).length, 0);
    await api(server.url, bob.token, `/rooms/${room}/notifications`, { method: 'PUT', body: '{"level":"all"}' });
    await say(ann.client, room, 'heard one');
    await waitFor(() => endpoint.pushesTo(bob.subscription).length === 1);
    ann.client.close();
  });

  test('a user with a tab in view gets no push; once it is hidden (or closed), they do', async () => {
    const bob = await subscribed('Bob');
    const ann = await author('Ann');
    const room = dmRoomName(ann.user.id, bob.user.id);
    await ann.client.join(room);
    const tab = await ChatClient.connect(server.url, bob.token);
    tab.send({ type: 'activity', visible: true, id: 'a1' });
    await tab.next('ok', (f) => f.id === 'a1');
    await say(ann.client, room, 'you are looking');
    assert.equal(endpoint.pushesTo(bob.subscription).length, 0);
    tab.send({ type: 'activity', visible: false, id: 'a2' });
    await tab.next('ok', (f) => f.id === 'a2');
    await say(ann.client, room, 'you looked away');
    await waitFor(() => endpoint.pushesTo(bob.subscription).length === 1);
    tab.send({ type: 'activity', visible: true, id: 'a3' });
    await tab.next('ok', (f) => f.id === 'a3');
    tab.close();
    await waitFor(async () => {
      await say(ann.client, room, 'tab closed');
      return endpoint.pushesTo(bob.subscription).length >= 2;
    });
    ann.client.close();
  });

  test('a push service answering 410 (or 404) removes the subscription: the next message sends nothing', async () => {
    for (const status of [410, 404]) {
      const bob = await subscribed('Bob');
      endpoint.answer(bob.subscription, status);
      const ann = await author('Ann');
      const room = dmRoomName(ann.user.id, bob.user.id);
      await ann.client.join(room);
      await say(ann.client, room, 'first');
      assert.equal(endpoint.pushesTo(bob.subscription).length, 1);
      await say(ann.client, room, 'second');
      assert.equal(endpoint.pushesTo(bob.subscription).length, 1, `after ${status}, no second request`);
      ann.client.close();
    }
  });

  test('another failure (500) keeps the subscription', async () => {
    const bob = await subscribed('Bob');
    endpoint.answer(bob.subscription, 500);
    const ann = await author('Ann');
    const room = dmRoomName(ann.user.id, bob.user.id);
    await ann.client.join(room);
    await say(ann.client, room, 'first');
    await say(ann.client, room, 'second');
    assert.equal(endpoint.pushesTo(bob.subscription).length, 2);
    ann.client.close();
  });

  test('unsubscribing stops the pushes; an endpoint registered again by another user moves to them', async () => {
    const bob = await subscribed('Bob');
    const ann = await author('Ann');
    const room = dmRoomName(ann.user.id, bob.user.id);
    await ann.client.join(room);
    const carol = await guest(server.url, 'Carol');
    // Carol's signing in on Bob's browser: the endpoint is hers now.
    const moved = await api(server.url, carol.token, '/push/subscriptions', {
      method: 'POST',
      body: JSON.stringify(TestPushEndpoint.body(bob.subscription)),
    });
    assert.equal(moved.status, 201);
    await say(ann.client, room, 'to bob, whose browser is carol’s now');
    assert.equal(endpoint.pushesTo(bob.subscription).length, 0);
    // Bob cannot remove Carol's subscription; Carol can.
    const body = JSON.stringify({ endpoint: bob.subscription.endpoint });
    assert.equal((await api(server.url, bob.token, '/push/subscriptions', { method: 'DELETE', body })).status, 204);
    const carolDm = dmRoomName(ann.user.id, carol.user.id);
    await ann.client.join(carolDm);
    await say(ann.client, carolDm, 'to carol');
    assert.equal(endpoint.pushesTo(bob.subscription).length, 1);
    assert.equal((await api(server.url, carol.token, '/push/subscriptions', { method: 'DELETE', body })).status, 204);
    await say(ann.client, carolDm, 'to carol, unsubscribed');
    assert.equal(endpoint.pushesTo(bob.subscription).length, 1);
    ann.client.close();
  });

  test('a user keeps at most 20 subscriptions: a new one beyond replaces an older one', async () => {
    const many = await guest(server.url, 'Many');
    const subs: TestSubscription[] = [];
    for (let i = 0; i < 21; i++) {
      const sub = endpoint.subscribe();
      subs.push(sub);
      const answer = await api(server.url, many.token, '/push/subscriptions', {
        method: 'POST',
        body: JSON.stringify(TestPushEndpoint.body(sub)),
      });
      assert.equal(answer.status, 201);
    }
    const ann = await author('Ann');
    const room = dmRoomName(ann.user.id, many.user.id);
    await ann.client.join(room);
    await say(ann.client, room, 'to every browser');
    const reached = subs.filter((sub) => endpoint.pushesTo(sub).length === 1);
    assert.equal(reached.length, 20);
    assert.ok(reached.includes(subs.at(-1) as TestSubscription), 'the newest is kept');
    ann.client.close();
  });

  test('a private endpoint stored while allowed gets nothing once PUSH_ALLOW_PRIVATE_ENDPOINTS is off', async () => {
    const dataDir = tempDataDir();
    const env = { AUTH_RATE_LIMIT: '1000' };
    const allowed = await startTestServer({
      dataDir,
      env: { ...env, PUSH_ALLOW_PRIVATE_ENDPOINTS: 'true' },
      pushTls: { ca: endpoint.pem },
    });
    const bob = await guest(allowed.url, 'Bob');
    const sub = endpoint.subscribe();
    await api(allowed.url, bob.token, '/push/subscriptions', {
      method: 'POST',
      body: JSON.stringify(TestPushEndpoint.body(sub)),
    });
    await allowed.close();
    const strict = await startTestServer({ dataDir, env, pushTls: { ca: endpoint.pem } });
    try {
      const ann = await guest(strict.url, 'Ann');
      const client = await ChatClient.connect(strict.url, ann.token);
      const room = dmRoomName(ann.user.id, bob.user.id);
      await client.join(room);
      client.send({ type: 'send', room, clientId: 'strict-1', text: 'to a private address' });
      await client.next('ack', (f) => f.clientId === 'strict-1');
      await strict.app.pushIdle();
      assert.equal(endpoint.pushesTo(sub).length, 0);
      client.close();
    } finally {
      await strict.close();
    }
  });

  test('bad bodies get 400 bad_request; a level for a room one is not in, 403; no session, 401', async () => {
    const who = await guest(server.url, 'Dan');
    const post = (body: unknown) =>
      api(server.url, who.token, '/push/subscriptions', { method: 'POST', body: JSON.stringify(body) });
    const sub = TestPushEndpoint.body(endpoint.subscribe());
    for (const bad of [
      {},
      { endpoint: sub.endpoint },
      { endpoint: sub.endpoint, keys: { p256dh: sub.keys.p256dh } },
      { endpoint: sub.endpoint, keys: { p256dh: 'short', auth: sub.keys.auth } },
      { endpoint: 'not a url', keys: sub.keys },
      { endpoint: 'http://push.example.com/x', keys: sub.keys },
    ]) {
      const answer = await post(bad);
      assert.equal(answer.status, 400, JSON.stringify(bad));
      assert.equal(answer.body.error.code, 'bad_request');
    }
    const raw = await api(server.url, who.token, '/push/subscriptions', { method: 'POST', body: '{nope' });
    assert.equal(raw.status, 400);
    const del = await api(server.url, who.token, '/push/subscriptions', { method: 'DELETE', body: '{}' });
    assert.equal(del.status, 400);
    const level = (room: string, body: string) =>
      api(server.url, who.token, `/rooms/${room}/notifications`, { method: 'PUT', body });
    assert.equal((await level('lobby', '{"level":"loud"}')).status, 400);
    assert.equal((await level('Not A Room', '{"level":"all"}')).status, 400);
    const notMember = await level('push-mentions', '{"level":"all"}');
    assert.equal(notMember.status, 403);
    assert.equal(notMember.body.error.code, 'forbidden');
    const preview = await api(server.url, who.token, '/notifications', { method: 'PUT', body: '{"preview":"no"}' });
    assert.equal(preview.status, 400);
    assert.equal((await api(server.url, undefined, '/notifications')).status, 401);
    assert.equal(
      (await api(server.url, undefined, '/push/subscriptions', { method: 'POST', body: JSON.stringify(sub) })).status,
      401,
    );
  });
});

describe('web push endpoints without PUSH_ALLOW_PRIVATE_ENDPOINTS', () => {
  let server: TestServer;
  before(async () => (server = await startTestServer()));
  after(() => server.close());

  const keys = {
    p256dh: 'BDd3_hVL9fZi9Ybo2UUzA284WG5FZR30_95YeZJsiApwXKpNcF1rRPF3foIiBHXRdJI2Qhumhf6_LFTeZaNndIo',
    auth: 'xS03Fi5ErfTNH_l9WHE9Ig',
  };

  test('a loopback, private or link-local endpoint, IPv4 or IPv6 or a name resolving to one, is refused', async () => {
    const who = await guest(server.url, 'Eve');
    for (const endpoint of [
      'https://127.0.0.1/push/x',
      'https://127.1.2.3:8443/push/x',
      'https://localhost/push/x',
      'https://10.1.2.3/push/x',
      'https://172.20.0.1/push/x',
      'https://192.168.1.1/push/x',
      'https://169.254.169.254/latest/meta-data',
      'https://100.64.0.1/push/x',
      'https://0.0.0.0/push/x',
      'https://[::1]/push/x',
      'https://[fd00::1]/push/x',
      'https://[fe80::1]/push/x',
      'https://[::ffff:127.0.0.1]/push/x',
      'https://[::ffff:10.0.0.1]/push/x',
    ]) {
      const answer = await api(server.url, who.token, '/push/subscriptions', {
        method: 'POST',
        body: JSON.stringify({ endpoint, keys }),
      });
      assert.equal(answer.status, 400, endpoint);
      assert.equal(answer.body.error.code, 'bad_request');
    }
  });

  test('a public https endpoint is accepted', async () => {
    const who = await guest(server.url, 'Eve');
    for (const endpoint of ['https://93.184.216.34/push/x', 'https://[2606:4700::1111]/push/y']) {
      const answer = await api(server.url, who.token, '/push/subscriptions', {
        method: 'POST',
        body: JSON.stringify({ endpoint, keys }),
      });
      assert.equal(answer.status, 201, endpoint);
    }
  });
});
