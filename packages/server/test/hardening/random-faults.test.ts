import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { AuthAnswer, HistoryAnswer, Message } from '@pockychat/protocol';
import { ChatClient, api, guest } from '../helpers/clients.ts';
import { waitFor } from '../helpers/wait-for.ts';
import { Cluster, type ClusterNode } from './helpers/cluster.ts';
import { between, mulberry32, pick, recordFigures, sleep } from './helpers/figures.ts';
import { ResilientClient } from './helpers/resilient-client.ts';

/** Replay a failing run with FAULT_SEED=<the seed it printed>. */
const SEED = Number(process.env.FAULT_SEED ?? 20261124);
const FAULT_PHASE_MS = 60_000;
const ROOMS = ['storm-a', 'storm-b'] as const;

/** Every message of a room, from since=0, page by page. */
async function fullHistory(url: string, token: string, room: string): Promise<Message[]> {
  const all: Message[] = [];
  for (;;) {
    const { status, body } = await api(url, token, `/history?room=${room}&since=${all.at(-1)?.seq ?? 0}&limit=500`);
    assert.equal(status, 200);
    const page = (body as HistoryAnswer).messages;
    all.push(...page);
    if (page.length < 500) return all;
  }
}

/** What a view is compared on: order, identity, text and like lists. */
function shape(messages: Message[]) {
  return messages.map((m) => ({
    id: m.id,
    seq: m.seq,
    text: m.text,
    deleted: m.deleted ?? false,
    reactions: m.reactions,
    likes: [...m.likes].sort(),
  }));
}

describe('hardening: three nodes, PostgreSQL and Redis under real faults', () => {
  let cluster: Cluster;
  before(async () => {
    cluster = await Cluster.start('hardening_faults', 3, { RATE_LIMIT_MESSAGES: '1000' });
  });
  after(() => cluster.stop());

  test('a removed member is unsubscribed on every node, and a logged-out token closed on another node, within a second', async () => {
    const [n0, n1, n2] = cluster.nodes.map((n) => n.url) as [string, string, string];
    const [owner, bob] = await Promise.all([guest(n0, 'Owner'), guest(n1, 'Bob')]);
    const o = await ChatClient.connect(n0, owner.token);
    await o.join('club');
    const invited = await api(n0, owner.token, '/rooms/club/invites', {
      method: 'POST',
      body: JSON.stringify({ userId: bob.user.id }),
    });
    assert.equal(invited.status, 201);
    const b1 = await ChatClient.connect(n1, bob.token);
    const b2 = await ChatClient.connect(n2, bob.token);
    await b1.join('club');
    await b2.join('club');

    const removedAt = Date.now();
    assert.equal((await api(n0, owner.token, `/rooms/club/members/${bob.user.id}`, { method: 'DELETE' })).status, 204);
    await Promise.all([b1, b2].map((b) => b.next('left', (f) => f.room === 'club' && f.reason === 'removed', 1000)));
    const unsubscribedMs = Date.now() - removedAt;
    assert.ok(unsubscribedMs < 1000, `unsubscribed on both other nodes in ${unsubscribedMs} ms`);
    o.send({ type: 'send', room: 'club', clientId: 'after-removal', text: 'not for Bob' });
    await o.next('message', (f) => f.message.text === 'not for Bob');
    // Allowed before, refused now: Bob's connections hear nothing more, and may not join or read again.
    b1.send({ type: 'join', room: 'club' });
    assert.equal((await b1.next('error', (f) => f.ref === 'club')).code, 'forbidden');
    assert.equal((await api(n2, bob.token, '/history?room=club')).status, 403);
    await sleep(200);
    for (const b of [b1, b2]) assert.equal(b.of('message').length, 0, 'no message of the room after removal');

    // Logging out on node 0 closes Bob's connection on node 2 within a second; it worked just before.
    const loggedOutAt = Date.now();
    assert.equal((await api(n0, bob.token, '/auth/logout', { method: 'POST' })).status, 204);
    await waitFor(() => b2.closed && b1.closed, {
      timeoutMs: 1000,
      what: "Bob's connections on nodes 1 and 2 to close",
    });
    const closedMs = Date.now() - loggedOutAt;
    assert.equal((await b2.next('error', () => true, 100)).code, 'unauthenticated');
    assert.equal(o.closed, false, 'the owner is untouched');
    o.close();
    recordFigures({
      scenario: 'access-cross-node',
      title: 'Removal and logout reach connections on other nodes',
      serverUp: await cluster.healthy(),
      durationMs: Date.now() - removedAt,
      details: { unsubscribedMs, closedMs },
    });
  });

  test(`randomised faults (seed ${SEED}): nodes killed -9, Redis and PostgreSQL restarted; nothing acked lost or doubled, every view equals history`, async () => {
    const started = Date.now();
    const rngFaults = mulberry32(SEED);
    const rngTraffic = mulberry32(SEED + 1);
    const users: AuthAnswer[] = [];
    for (let i = 0; i < 6; i++) users.push(await guest(cluster.nodes[i % 3]!.url, `c${i}`));
    // The rooms exist (public) before anyone reconnects into them.
    const opener = await ChatClient.connect(cluster.nodes[0]!.url, users[0]!.token);
    for (const room of ROOMS) await opener.join(room, 'public');
    opener.close();
    const clients = users.map(
      (u, i) =>
        new ResilientClient({
          name: `c${i}`,
          token: u.token,
          userId: u.user.id,
          rooms: ROOMS,
          liveNodes: () => cluster.liveUrls(),
          rng: mulberry32(SEED + 10 + i),
        }),
    );
    await Promise.all(clients.map((c) => c.start()));

    // Traffic: each client sends about 2 messages a second and now and then likes, reacts to, edits or deletes one it sees.
    let trafficOn = true;
    const traffic = (async () => {
      while (trafficOn) {
        for (const c of clients) {
          if (rngTraffic() < 0.2) c.send(pick(rngTraffic, ROOMS));
          if (rngTraffic() < 0.2) {
            const seen = c.view(pick(rngTraffic, ROOMS));
            const chance = rngTraffic();
            const own = seen.filter((m) => m.author.id === c.userId && !m.deleted);
            if (seen.length === 0) continue;
            const target = pick(rngTraffic, seen);
            if (chance < 0.4) c.toggleLike(target);
            else if (chance < 0.7) c.toggleReaction(target, pick(rngTraffic, ['👍', '🎉', '👨‍👩‍👧']));
            else if (own.length === 0) continue;
            else if (chance < 0.92) c.edit(pick(rngTraffic, own));
            else c.delete(pick(rngTraffic, own));
          }
        }
        await sleep(100);
      }
    })();

    // Faults, one after another, each held for a while, then healed; the schedule is the seed's alone.
    const faults: Record<string, number> = {
      'node kill -9': 0,
      'node SIGTERM': 0,
      'redis restart': 0,
      'postgres restart': 0,
    };
    const log: string[] = [];
    const kinds = ['node kill -9', 'node kill -9', 'node SIGTERM', 'redis restart', 'postgres restart'];
    const firstOfEach = [...new Set(kinds)].sort(() => rngFaults() - 0.5);
    while (Date.now() - started < FAULT_PHASE_MS) {
      await sleep(between(rngFaults, 1000, 2500));
      // Each kind once first (in a seeded order), so that every run has them all; then any.
      const kind = firstOfEach.shift() ?? pick(rngFaults, kinds);
      const hold = between(rngFaults, 500, 2000);
      faults[kind] = (faults[kind] ?? 0) + 1;
      const at = Date.now();
      if (kind === 'redis restart') {
        await cluster.redis.stop();
        await sleep(hold);
        await cluster.redis.start();
      } else if (kind === 'postgres restart') {
        await cluster.pg.stop('immediate');
        await sleep(hold);
        await cluster.pg.start();
      } else {
        const node: ClusterNode = pick(rngFaults, cluster.nodes);
        const code = await cluster.stopNode(node, kind === 'node SIGTERM' ? 'SIGTERM' : 'SIGKILL');
        if (kind === 'node SIGTERM') assert.equal(code, 0, 'a SIGTERM stop exits 0');
        await sleep(hold);
        await cluster.startNode(node);
      }
      log.push(`${((at - started) / 1000).toFixed(1)}s ${kind}, held ${hold} ms, healed after ${Date.now() - at} ms`);
    }
    // Calm: everything is up again, traffic goes on for a while, then stops.
    await waitFor(() => cluster.healthy(), { timeoutMs: 10_000, what: 'every node to answer' });
    await sleep(4000);
    trafficOn = false;
    await traffic;
    await waitFor(() => clients.every((c) => c.ready && c.pending.size === 0), {
      timeoutMs: 45_000,
      what: 'every client to be connected with nothing pending',
    });
    // Let the last broadcasts and like changes land.
    await sleep(1500);

    const checker = users[0]!.token;
    const histories = new Map<string, Message[]>();
    for (const room of ROOMS) histories.set(room, await fullHistory(cluster.nodes[1]!.url, checker, room));
    const stored = ROOMS.flatMap((room) => histories.get(room) ?? []);
    for (const room of ROOMS) {
      const seqs = (histories.get(room) ?? []).map((m) => m.seq);
      assert.deepEqual(
        seqs,
        Array.from({ length: seqs.length }, (_, i) => i + 1),
        `${room}: seq 1..n without a gap`,
      );
    }
    const storedIds = new Set(stored.map((m) => m.id));
    const ackedIds = clients.flatMap((c) => [...c.acked.values()]);
    const lost = ackedIds.filter((id) => !storedIds.has(id)).length;
    // Each text names its clientId (an edit keeps it before ' ~'): the same text twice is a message stored
    // twice. A tombstone has no text left to compare.
    const texts = stored.filter((m) => !m.deleted).map((m) => `${m.author.id}:${m.text.split(' ~')[0]}`);
    const doubledStored = texts.length - new Set(texts).size;
    const doubledAcks = clients.reduce((n, c) => n + c.doubledAcks, 0);
    const viewMismatches: string[] = [];
    for (const c of clients) {
      for (const room of ROOMS) {
        try {
          assert.deepEqual(shape(c.view(room)), shape(histories.get(room) ?? []));
        } catch (err) {
          viewMismatches.push(`${c.name} ${room}: ${(err as Error).message.slice(0, 2000)}`);
        }
      }
    }
    const sends = clients.reduce((n, c) => n + c.sends, 0);
    const figures = {
      scenario: 'faults-random',
      title: `Randomised faults, seed ${SEED}: 3 nodes, PostgreSQL, Redis, 6 clients, 2 rooms`,
      acked: ackedIds.length,
      lost,
      doubled: doubledStored + doubledAcks,
      serverUp: await cluster.healthy(),
      durationMs: Date.now() - started,
      details: {
        seed: SEED,
        sent: sends,
        stored: stored.length,
        resends: clients.reduce((n, c) => n + c.resends, 0),
        connects: clients.reduce((n, c) => n + c.connects, 0),
        likeOps: clients.reduce((n, c) => n + c.likeOps, 0),
        reactOps: clients.reduce((n, c) => n + c.reactOps, 0),
        edits: clients.reduce((n, c) => n + c.edits, 0),
        deletes: clients.reduce((n, c) => n + c.deletes, 0),
        repeatedDeliveries: clients.reduce((n, c) => n + c.repeatedDeliveries, 0),
        viewMismatches: viewMismatches.length,
        ...Object.fromEntries(Object.entries(faults).map(([k, v]) => [`faults: ${k}`, v])),
      },
    };
    recordFigures(figures);
    await Promise.all(clients.map((c) => c.stop()));

    const context = `seed ${SEED}; faults:\n${log.join('\n')}`;
    assert.equal(ackedIds.length, sends, `every message sent was acked in the end (${context})`);
    assert.equal(stored.length, sends, `stored once each (${context})`);
    assert.equal(lost, 0, `acked messages lost (${context})`);
    assert.equal(doubledStored, 0, `messages stored twice (${context})`);
    assert.equal(doubledAcks, 0, `clientIds acked with two different messages (${context})`);
    assert.deepEqual(viewMismatches, [], `every client's view equals a fresh history (${context})`);
    assert.ok(
      Object.values(faults).every((n) => n > 0),
      context,
    );
    assert.ok(figures.serverUp, 'every node is up at the end');
  });

  test('SIGTERM under load: writes in flight are acked, clients move to another node, nothing acked is lost', async () => {
    const started = Date.now();
    const [target, ...others] = cluster.nodes as [ClusterNode, ...ClusterNode[]];
    let allowed = [target.url];
    const users = await Promise.all([0, 1, 2, 3].map((i) => guest(target.url, `t${i}`)));
    const opener = await ChatClient.connect(target.url, users[0]!.token);
    await opener.join('drain', 'public');
    opener.close();
    const clients = users.map(
      (u, i) =>
        new ResilientClient({
          name: `t${i}`,
          token: u.token,
          userId: u.user.id,
          rooms: ['drain'],
          liveNodes: () => allowed,
          rng: mulberry32(SEED + 100 + i),
        }),
    );
    await Promise.all(clients.map((c) => c.start()));
    assert.ok(clients.every((c) => c.node === target.url));
    // Load: 4 clients x 25 messages a second while the node is told to stop.
    let pumping = true;
    const pump = (async () => {
      while (pumping) {
        for (const c of clients) for (let k = 0; k < 5; k++) c.send('drain');
        await sleep(200);
      }
    })();
    await waitFor(() => clients.every((c) => c.acked.size >= 20), { timeoutMs: 10_000 });
    allowed = others.map((n) => n.url);
    const exit = await cluster.stopNode(target, 'SIGTERM');
    assert.equal(exit, 0, 'a graceful stop exits 0');
    await sleep(1500);
    pumping = false;
    await pump;
    await waitFor(() => clients.every((c) => c.ready && c.pending.size === 0), {
      timeoutMs: 20_000,
      what: 'every client to move and have nothing pending',
    });
    assert.ok(
      clients.every((c) => c.node !== target.url && c.connects === 2),
      'each client moved once, to another node',
    );
    assert.ok(
      clients.every((c) => c.reconnectFrames === 1),
      'each was told to reconnect before the close',
    );
    await sleep(500);
    const history = await fullHistory(others[0]!.url, users[0]!.token, 'drain');
    const ids = new Set(history.map((m) => m.id));
    const acked = clients.flatMap((c) => [...c.acked.values()]);
    const lost = acked.filter((id) => !ids.has(id)).length;
    const texts = history.map((m) => m.text);
    const doubled = texts.length - new Set(texts).size + clients.reduce((n, c) => n + c.doubledAcks, 0);
    const sent = clients.reduce((n, c) => n + c.sends, 0);
    recordFigures({
      scenario: 'sigterm-under-load',
      title: 'SIGTERM of a node under load (4 clients, 25 msg/s each), clients move to the 2 others',
      acked: acked.length,
      lost,
      doubled,
      serverUp: (await Promise.all(others.map((n) => fetch(`${n.url}/healthz`).then((r) => r.ok)))).every(Boolean),
      durationMs: Date.now() - started,
      details: {
        sent,
        stored: history.length,
        resends: clients.reduce((n, c) => n + c.resends, 0),
        exitCode: exit ?? -1,
      },
    });
    assert.equal(lost, 0);
    assert.equal(doubled, 0);
    assert.equal(acked.length, sent);
    assert.equal(history.length, sent);
    for (const c of clients) assert.deepEqual(shape(c.view('drain')), shape(history));
    await Promise.all(clients.map((c) => c.stop()));
    await cluster.startNode(target);
  });
});
