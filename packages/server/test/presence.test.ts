import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { PresenceFrame } from '@pockychat/protocol';
import { ChatClient, api, guest } from './helpers/clients.ts';
import { startTestServer, type TestServer } from './helpers/test-server.ts';
import { waitFor } from './helpers/wait-for.ts';

/** Real sockets on one server whose away threshold is short (the threshold is an option; 5 minutes by default). */
describe('presence: online, away, offline over real sockets', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({
      presenceOptions: { awayAfterMs: 400, minChangeIntervalMs: 0, sweepEveryMs: 20 },
    });
  });
  after(() => server.close());

  const about = (client: ChatClient, userId: string): PresenceFrame[] =>
    client.of('presence').filter((frame) => frame.userId === userId);
  const lastAbout = (client: ChatClient, userId: string) => about(client, userId).at(-1)?.status;

  test('a member sees another go online, away after the threshold, offline once closed; a non-member hears nothing', async () => {
    const [ann, bob, cat] = await Promise.all(['Ann', 'Bob', 'Cat'].map((name) => guest(server.url, name)));
    const a = await ChatClient.connect(server.url, ann!.token);
    const c = await ChatClient.connect(server.url, cat!.token);
    await a.join('flips', 'public');
    await c.join('elsewhere', 'public');
    const b = await ChatClient.connect(server.url, bob!.token);
    await b.join('flips');
    await waitFor(() => lastAbout(a, bob!.user.id) === 'away', { what: 'bob away: connected, not yet active' });

    b.send({ type: 'activity', visible: true });
    await waitFor(() => lastAbout(a, bob!.user.id) === 'online', { what: 'bob online' });
    const members = await api(server.url, ann!.token, '/rooms/flips/members');
    assert.equal(members.status, 200);
    const bobMember = (members.body.members as Array<{ user: { id: string }; status: string }>).find(
      (m) => m.user.id === bob!.user.id,
    );
    assert.equal(bobMember?.status, 'online', 'the members list carries the status');

    await waitFor(() => lastAbout(a, bob!.user.id) === 'away', { what: 'bob away after the threshold' });
    b.send({ type: 'activity', visible: true });
    await waitFor(() => lastAbout(a, bob!.user.id) === 'online', { what: 'bob online again' });
    b.close();
    await waitFor(() => lastAbout(a, bob!.user.id) === 'offline', { what: 'bob offline' });

    const presence = await api(server.url, ann!.token, `/presence?ids=${bob!.user.id},${ann!.user.id}`);
    assert.deepEqual(presence.body, { presence: { [bob!.user.id]: 'offline', [ann!.user.id]: 'away' } });
    assert.deepEqual(about(c, bob!.user.id), [], 'cat shares no room with bob: no presence frame');
    assert.deepEqual(about(a, ann!.user.id), [], "one's own presence is not echoed to one's connections");
    a.close();
    c.close();
  });

  test('a change reaches a connection once, however many rooms it shares with the user', async () => {
    const [ann, bob] = await Promise.all(['Ann', 'Bob'].map((name) => guest(server.url, name)));
    const a = await ChatClient.connect(server.url, ann!.token);
    const b = await ChatClient.connect(server.url, bob!.token);
    for (const room of ['twice-1', 'twice-2']) {
      await a.join(room, 'public');
      await b.join(room);
    }
    b.send({ type: 'activity', visible: true });
    await waitFor(() => lastAbout(a, bob!.user.id) === 'online', { what: 'bob online' });
    b.close();
    await waitFor(() => lastAbout(a, bob!.user.id) === 'offline', { what: 'bob offline' });
    assert.equal(about(a, bob!.user.id).filter((f) => f.status === 'offline').length, 1, 'one offline frame');
    assert.equal(about(a, bob!.user.id).filter((f) => f.status === 'online').length, 1, 'one online frame');
    a.close();
  });

  test('bad activity frames get bad_request and the connection survives', async () => {
    const ann = await guest(server.url, 'Ann');
    const a = await ChatClient.connect(server.url, ann.token);
    for (const bad of [{ type: 'activity' }, { type: 'activity', visible: 'yes' }, { type: 'activity', visible: 1 }]) {
      a.send(bad);
      await waitFor(() => a.of('error').length > 0 && a.frames.at(-1)?.type === 'error', { what: 'an error' });
      const error = a.of('error').at(-1);
      assert.equal(error?.code, 'bad_request');
      assert.match(error?.message ?? '', /visible/);
      a.frames.length = 0;
    }
    await a.join('survived', 'public');
    assert.equal(a.closed, false);
    a.send({ type: 'activity', visible: false });
    a.send({ type: 'activity', visible: true, id: 'r1' });
    await a.join('survived-2', 'public');
    assert.deepEqual(a.of('error'), [], 'good activity frames are taken silently');
    a.close();
  });

  test('GET /presence: signed in only; 1 to 100 well-formed ids', async () => {
    const ann = await guest(server.url, 'Ann');
    assert.equal((await api(server.url, undefined, `/presence?ids=${ann.user.id}`)).status, 401);
    assert.equal((await api(server.url, ann.token, '/presence')).status, 400);
    assert.equal((await api(server.url, ann.token, '/presence?ids=')).status, 400);
    assert.equal((await api(server.url, ann.token, '/presence?ids=Bad-Id')).status, 400);
    const hundred = Array.from({ length: 100 }, (_, i) => `u${i}`).join(',');
    const ok = await api(server.url, ann.token, `/presence?ids=${hundred}`);
    assert.equal(ok.status, 200);
    assert.equal(Object.keys(ok.body.presence).length, 100);
    assert.equal(ok.body.presence.u7, 'offline');
    const tooMany = Array.from({ length: 101 }, (_, i) => `u${i}`).join(',');
    const refused = await api(server.url, ann.token, `/presence?ids=${tooMany}`);
    assert.equal(refused.status, 400);
    assert.equal(refused.body.error?.code ?? refused.body.code, 'bad_request');
  });
});

describe('presence off (PRESENCE=0)', () => {
  test('no presence frames, members without status, everyone offline', async () => {
    const server = await startTestServer({ env: { PRESENCE: '0' } });
    try {
      const [ann, bob] = await Promise.all(['Ann', 'Bob'].map((name) => guest(server.url, name)));
      const a = await ChatClient.connect(server.url, ann!.token);
      const b = await ChatClient.connect(server.url, bob!.token);
      await a.join('quiet', 'public');
      await b.join('quiet');
      b.send({ type: 'activity', visible: true });
      await b.join('quiet-2', 'public');
      const members = await api(server.url, ann!.token, '/rooms/quiet/members');
      assert.equal('status' in members.body.members[0], false);
      const presence = await api(server.url, ann!.token, `/presence?ids=${bob!.user.id}`);
      assert.deepEqual(presence.body, { presence: { [bob!.user.id]: 'offline' } });
      assert.deepEqual(a.of('presence'), []);
      a.close();
      b.close();
    } finally {
      await server.close();
    }
  });
});
