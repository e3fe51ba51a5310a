import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { dmRoomName } from '@pockychat/protocol';
import { ChatClient, api, guest } from './helpers/clients.ts';
import { PgRedisCluster } from './helpers/pg-redis-cluster.ts';
import { TestPushEndpoint } from './helpers/push-endpoint.ts';
import { waitFor } from './helpers/wait-for.ts';

/**
 * Two nodes on PostgreSQL and Redis sharing VAPID keys from the
 * environment: a message pushes once, from the node that stored it, with
 * the shared key, whichever node the recipient subscribed through.
 */
describe('web push with two nodes', () => {
  let cluster: PgRedisCluster;
  let endpoint: TestPushEndpoint;
  const keys = {
    VAPID_PUBLIC_KEY: 'BBrpgvvyJQtd-k0JCWquT-V2cvlUy4Z7IcbaFd162JYV6WiRoxelZd9PjQ4soz5IdA-ExSOchBS-ovtPDqIncfw',
    VAPID_PRIVATE_KEY: 'Ttilo_61L8G24qqr6GJhpOh05ufB2IyVrIKFcU6qSC8',
  };

  before(async () => {
    endpoint = await TestPushEndpoint.start();
    cluster = await PgRedisCluster.start('push', 0);
    const env = { ...keys, PUSH_ALLOW_PRIVATE_ENDPOINTS: 'true', NODE_EXTRA_CA_CERTS: endpoint.caFile };
    await cluster.addNodes(2, env);
  });
  after(async () => {
    await cluster?.stop();
    await endpoint?.close();
  });

  test('each message pushes once, from the node that stored it, signed with the shared key', async () => {
    const [first, second] = cluster.nodes.map((n) => n.url) as [string, string];
    const bob = await guest(second, 'Bob');
    const subscription = endpoint.subscribe();
    const subscribed = await api(second, bob.token, '/push/subscriptions', {
      method: 'POST',
      body: JSON.stringify(TestPushEndpoint.body(subscription)),
    });
    assert.equal(subscribed.status, 201);
    for (const url of [first, second]) {
      assert.deepEqual((await api(url, bob.token, '/push/key')).body, { publicKey: keys.VAPID_PUBLIC_KEY });
    }

    const ann = await guest(first, 'Ann');
    const room = dmRoomName(ann.user.id, bob.user.id);
    const onFirst = await ChatClient.connect(first, ann.token);
    const onSecond = await ChatClient.connect(second, ann.token);
    await onFirst.join(room);
    await onSecond.join(room);
    const sent: string[] = [];
    for (const [i, client] of [onFirst, onSecond, onFirst].entries()) {
      const clientId = `multi-${i}`;
      client.send({ type: 'send', room, clientId, text: `message ${i}` });
      sent.push((await client.next('ack', (f) => f.clientId === clientId)).message.id);
      await waitFor(() => endpoint.pushesTo(subscription).length >= i + 1, { what: `push ${i + 1}` });
    }
    const pushes = endpoint.pushesTo(subscription);
    // A second node pushing too would have shown up before the third message's push.
    assert.deepEqual(
      pushes.map((p) => (p.payload as { messageId: string }).messageId),
      sent,
    );
    assert.ok(pushes.every((p) => p.vapidKey === keys.VAPID_PUBLIC_KEY));
    assert.deepEqual(endpoint.rejected, []);
    onFirst.close();
    onSecond.close();
  });
});
