import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import WebSocket from 'ws';
import { ChatClient, guest } from '../helpers/clients.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';
import { waitFor } from '../helpers/wait-for.ts';
import { recordFigures, sleep } from './helpers/figures.ts';

const CYCLES = 2000;
const PARALLEL = 25;
const ROOMS = Array.from({ length: 10 }, (_, i) => `churn-${i}`);

const openFds = () => readdirSync('/proc/self/fd').length;
const activeHandles = () => (process as unknown as { _getActiveHandles(): unknown[] })._getActiveHandles().length;

type Ending = 'close after joined' | 'terminate after joined' | 'terminate mid-join' | 'close before join';
const endings: Ending[] = ['close after joined', 'terminate after joined', 'terminate mid-join', 'close before join'];

/**
 * One connect/join/disconnect cycle over a bare WebSocket, ending in one of
 * four ways: a clean close after `joined`, a TCP reset after it, a reset while
 * the join is still being handled, and a close with no join at all.
 */
async function cycle(url: string, token: string, room: string, ending: Ending): Promise<void> {
  const ws = new WebSocket(`${url.replace('http', 'ws')}/primus?access_token=${token}`);
  const closed = new Promise<void>((resolve) => ws.once('close', () => resolve()));
  ws.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  if (ending === 'close before join') {
    ws.close();
    return closed;
  }
  const joined = new Promise<void>((resolve) =>
    ws.on('message', (data: Buffer) => data.toString().includes('"joined"') && resolve()),
  );
  ws.send(JSON.stringify({ type: 'join', room }));
  if (ending === 'terminate mid-join') {
    ws.terminate();
    return closed;
  }
  await joined;
  if (ending === 'close after joined') ws.close();
  else ws.terminate();
  return closed;
}

describe('hardening: connection churn', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  test(`${CYCLES} connect/join/disconnect cycles leak no spark, room entry, handle or file descriptor`, async () => {
    const started = Date.now();
    // Guest sign-ins are limited to 20 a minute per address: 10 users share the lanes.
    const users = await Promise.all(Array.from({ length: 10 }, (_, i) => guest(server.url, `churn${i}`)));
    // Rooms made public once, so every cycle's join is admitted.
    const opener = await ChatClient.connect(server.url, users[0]!.token);
    for (const room of ROOMS) await opener.join(room, 'public');
    opener.close();
    // A warm-up cycle per ending (lazy modules, pools), then the baseline.
    for (const ending of endings) await cycle(server.url, users[0]!.token, 'churn-0', ending);
    await waitFor(() => server.app.realtime.connectionCount === 0, { what: 'warm-up connections to go' });
    await sleep(200);
    const baseline = { fds: openFds(), handles: activeHandles() };

    const counts = new Map<Ending, number>();
    let done = 0;
    await Promise.all(
      Array.from({ length: PARALLEL }, async (_, lane) => {
        const user = users[lane % users.length]!;
        for (let i = lane; i < CYCLES; i += PARALLEL) {
          const ending = endings[i % endings.length] as Ending;
          await cycle(server.url, user.token, ROOMS[i % ROOMS.length] as string, ending);
          counts.set(ending, (counts.get(ending) ?? 0) + 1);
          done++;
        }
      }),
    );
    assert.equal(done, CYCLES);

    const realtime = server.app.realtime;
    await waitFor(() => realtime.connectionCount === 0, { timeoutMs: 10_000, what: 'every spark to be gone' });
    // The rooms adapter (primus-rooms' extension point) lists the rooms that have a subscriber.
    const roomsLeft = () => realtime.primus.adapter.get(null).filter((room: string) => ROOMS.includes(room));
    await waitFor(() => roomsLeft().length === 0, { timeoutMs: 5000, what: 'the rooms to be empty' });
    await waitFor(() => activeHandles() <= baseline.handles + 3 && openFds() <= baseline.fds + 3, {
      timeoutMs: 10_000,
      what: `handles (${baseline.handles}) and fds (${baseline.fds}) back to the baseline`,
    });
    const after = { fds: openFds(), handles: activeHandles() };
    const left = {
      sparks: realtime.connectionCount,
      rooms: roomsLeft().length,
    };

    // A bystander still joins, sends and receives.
    const bystander = await ChatClient.connect(server.url, users[1]!.token);
    await bystander.join('churn-1');
    bystander.send({ type: 'send', room: 'churn-1', clientId: 'after-churn', text: 'still here' });
    await bystander.next('message', (f) => f.message.text === 'still here');
    bystander.close();

    recordFigures({
      scenario: 'connection-churn',
      title: `${CYCLES} connect/join/disconnect cycles, ${PARALLEL} at a time (in-process server)`,
      serverUp: (await fetch(`${server.url}/healthz`)).ok,
      durationMs: Date.now() - started,
      details: {
        cycles: CYCLES,
        ...Object.fromEntries([...counts].map(([k, v]) => [k, v])),
        'sparks left': left.sparks,
        'room entries left': left.rooms,
        'handles before/after': `${baseline.handles}/${after.handles}`,
        'fds before/after': `${baseline.fds}/${after.fds}`,
      },
    });
  });
});
