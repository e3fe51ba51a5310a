import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import type { AckFrame, Message } from '@pockychat/protocol';
import { ChatClient, api, guest } from './helpers/clients.ts';
import { upgradeStatus } from './helpers/raw-socket.ts';
import { spawnServer, startTestServer, tempDataDir, type SpawnedServer } from './helpers/test-server.ts';
import type { Store } from '../src/chat/ports/store.ts';
import { waitFor } from './helpers/wait-for.ts';

const ROOM = 'lobby';
const env = { RATE_LIMIT_MESSAGES: '1000' };
const restartTimeout = { timeoutMs: 15_000 };

/**
 * A client that keeps 10 messages in flight, sending the next one as each
 * ack arrives, until all are sent or the connection ends. `atAck` runs as
 * the given ack arrives (to stop the server mid-stream, not after it).
 */
function pump(client: ChatClient, total: number, atAck: { count: number; run: () => void }): void {
  const WINDOW = 10;
  let sent = 0;
  let acked = 0;
  const sendNext = () => {
    if (sent >= total || client.closed) return;
    sent++;
    client.send({ type: 'send', room: ROOM, clientId: `m${sent}`, text: `message ${sent}` });
  };
  client.socket.on('data', (frame: { type?: string }) => {
    if (frame.type !== 'ack') return;
    if (++acked === atAck.count) atAck.run();
    sendNext();
  });
  for (let i = 0; i < WINDOW; i++) sendNext();
}

/** Stops the server from inside the client's ack handler: the client is still sending. */
function stopAtAck(server: SpawnedServer, count: number, signal: NodeJS.Signals) {
  let exited: Promise<number | null> | undefined;
  return {
    atAck: { count, run: () => (exited = server.stop(signal)) },
    // Wrapped: waitFor would await the promise itself, and an exit code of 0 or null is falsy.
    exited: async () => (await waitFor(() => exited && { exited }, { ...restartTimeout, what: `ack ${count}` })).exited,
  };
}

function logLines(stdout: string): Array<{ msg?: string }> {
  return stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { msg?: string });
}

async function allHistory(url: string, token: string): Promise<Message[]> {
  const answer = await api(url, token, `/history?room=${ROOM}&limit=500`);
  assert.equal(answer.status, 200);
  return answer.body.messages as Message[];
}

/** Every acked message is stored once, unchanged, and seq runs 1..n with no gap. */
function assertDurable(stored: Message[], acks: AckFrame[]): void {
  assert.deepEqual(
    stored.map((m) => m.seq),
    Array.from({ length: stored.length }, (_, i) => i + 1),
    'seq is gap-free',
  );
  assert.equal(new Set(stored.map((m) => m.text)).size, stored.length, 'no message is stored twice');
  const byId = new Map(stored.map((m) => [m.id, m]));
  for (const ack of acks) assert.deepEqual(byId.get(ack.message.id), ack.message, `${ack.clientId} survived`);
}

/** Resends what was never acked, with the same clientIds, and waits for every ack. */
async function resendUnacked(client: ChatClient, total: number, acked: Set<string>): Promise<void> {
  const missing = Array.from({ length: total }, (_, i) => `m${i + 1}`).filter((id) => !acked.has(id));
  for (const clientId of missing) {
    client.send({ type: 'send', room: ROOM, clientId, text: `message ${clientId.slice(1)}` });
  }
  await waitFor(() => missing.every((id) => client.of('ack').some((a) => a.clientId === id)), {
    ...restartTimeout,
    what: `acks for ${missing.length} resent messages`,
  });
}

/** What was acked survives kill -9 and SIGTERM; tokens survive restarts. */
describe('durability across restarts', () => {
  const servers: SpawnedServer[] = [];
  const clients: ChatClient[] = [];
  const start = async (dataDir: string) => {
    const server = await spawnServer({ dataDir, env });
    servers.push(server);
    return server;
  };
  const connect = async (url: string, token: string) => {
    const client = await ChatClient.connect(url, token);
    clients.push(client);
    return client;
  };
  after(async () => {
    for (const client of clients) client.close();
    await Promise.all(servers.map((s) => s.stop('SIGKILL')));
  });

  test('after kill -9, every acked message is there exactly once, and the token still works', async () => {
    const TOTAL = 150;
    const dataDir = tempDataDir();
    const first = await start(dataDir);
    const ann = await guest(first.url);
    const bob = await guest(first.url, 'Bob');
    assert.equal((await api(first.url, bob.token, '/auth/logout', { method: 'POST' })).status, 204);
    const client = await connect(first.url, ann.token);
    await client.join(ROOM);
    const stop = stopAtAck(first, 40, 'SIGKILL');
    pump(client, TOTAL, stop.atAck);
    assert.equal(await stop.exited(), null, 'killed, not exited');
    await waitFor(() => client.closed, { what: 'the connection to drop' });
    const acks = client.of('ack');
    assert.ok(acks.length < TOTAL, 'the kill came while messages were still being sent');

    const second = await start(dataDir);
    // The token was stored (hashed) in the database: it outlives the process; so does a revocation.
    const me = await api(second.url, ann.token, '/me');
    assert.equal(me.status, 200);
    assert.deepEqual(me.body.user, ann.user);
    assert.equal((await api(second.url, bob.token, '/me')).status, 401, 'a revoked token stays revoked');
    assertDurable(await allHistory(second.url, ann.token), acks);

    // The client resends what it has no ack for; nothing is stored twice.
    const again = await connect(second.url, ann.token);
    await again.join(ROOM);
    await resendUnacked(again, TOTAL, new Set(acks.map((a) => a.clientId)));
    const stored = await allHistory(second.url, ann.token);
    assert.equal(stored.length, TOTAL);
    assertDurable(stored, [...acks, ...again.of('ack')]);
    await second.stop('SIGKILL');
  });

  test('SIGTERM while a client is sending: exit 0, every acked message kept, resends make no duplicates', async () => {
    const TOTAL = 150;
    const dataDir = tempDataDir();
    const first = await start(dataDir);
    const ann = await guest(first.url);
    const client = await connect(first.url, ann.token);
    await client.join(ROOM);
    const stop = stopAtAck(first, 40, 'SIGTERM');
    pump(client, TOTAL, stop.atAck);
    assert.equal(await stop.exited(), 0, 'a graceful stop exits 0');
    const messages = logLines(first.output().stdout).map((l) => l.msg);
    assert.ok(messages.includes('shutting down') && messages.includes('stopped'), 'the stop is logged');
    // The server ended the connection itself, after the acks of the work under way.
    await waitFor(() => client.closed, { what: 'the connection to end' });
    assert.equal(client.of('reconnect').length, 1, 'told to reconnect');
    const acks = client.of('ack');
    assert.ok(acks.length < TOTAL, 'the stop came while messages were still being sent');
    assert.equal(client.of('error').length, 0, 'nothing was refused with an error on the way down');

    const second = await start(dataDir);
    assert.equal((await api(second.url, ann.token, '/me')).status, 200, 'the token survives a restart');
    assertDurable(await allHistory(second.url, ann.token), acks);

    const again = await connect(second.url, ann.token);
    await again.join(ROOM);
    await resendUnacked(again, TOTAL, new Set(acks.map((a) => a.clientId)));
    const stored = await allHistory(second.url, ann.token);
    assert.equal(stored.length, TOTAL, 'each clientId stored once');
    assertDurable(stored, [...acks, ...again.of('ack')]);
    assert.equal(await second.stop('SIGTERM'), 0);
  });
});

/** A store whose appends wait until the gate opens: a write stays in flight as long as the test wants. */
function gatedStore(store: Store) {
  const gate = Promise.withResolvers<void>();
  let waiting = 0;
  const wrapped = new Proxy(store, {
    get(target, property) {
      if (property === 'appendMessage') {
        return async (input: Parameters<Store['appendMessage']>[0]) => {
          waiting++;
          await gate.promise;
          return target.appendMessage(input);
        };
      }
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
  return { wrapped, open: () => gate.resolve(), waiting: () => waiting };
}

describe('graceful shutdown', () => {
  test('once closing: no new connection is accepted, the write in flight finishes and is acked', async () => {
    let gate: ReturnType<typeof gatedStore> | undefined;
    const server = await startTestServer({
      wrapStore: (store) => (gate = gatedStore(store)).wrapped,
    });
    const ann = await guest(server.url);
    const client = await ChatClient.connect(server.url, ann.token);
    await client.join(ROOM);
    client.send({ type: 'send', room: ROOM, clientId: 'in-flight', text: 'finish me' });
    await waitFor(() => gate?.waiting() === 1, { what: 'the write to be in flight' });

    const closing = server.close();
    // Draining: new upgrades and HTTP requests are not let in.
    await assert.rejects(upgradeStatus(server.url, { token: ann.token }), /ECONNREFUSED/);
    await assert.rejects(fetch(`${server.url}/healthz`), (err: Error) => {
      const code = (err.cause as { code?: string } | undefined)?.code;
      return code === 'ECONNREFUSED' || code === 'UND_ERR_SOCKET';
    });
    assert.equal(client.of('ack').length, 0);

    gate?.open();
    await closing;
    const ack = await client.next('ack');
    assert.equal(ack.message.text, 'finish me');
    await waitFor(() => client.closed, { what: 'the connection to end' });

    const reopened = await startTestServer({ dataDir: server.dataDir });
    try {
      const stored = await allHistory(reopened.url, ann.token);
      assert.deepEqual(stored, [ack.message]);
    } finally {
      await reopened.close();
    }
  });
});
