import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import WebSocket from 'ws';
import { ChatClient, api, guest } from './helpers/clients.ts';
import { spawnServer, tempDataDir, type SpawnedServer } from './helpers/test-server.ts';
import { waitFor } from './helpers/wait-for.ts';

async function serverRss(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return Number(/^pockychat_process_resident_memory_bytes (\d+)/m.exec(text)?.[1]);
}

const cap = 512 * 1024;

describe('a slow reader', () => {
  let server: SpawnedServer;
  before(async () => {
    server = await spawnServer({
      dataDir: tempDataDir(),
      env: { MAX_BUFFERED_BYTES: String(cap), RATE_LIMIT_MESSAGES: '100000' },
    });
  });
  after(() => server.stop('SIGKILL'));

  test('is cut off past the buffered-bytes cap; the others get everything; it catches up from history', async () => {
    const [ann, sleepy] = await Promise.all([guest(server.url, 'Ann'), guest(server.url, 'Sleepy')]);
    const reader = await ChatClient.connect(server.url, ann.token);
    await reader.join('busy', 'public');
    const sender = await ChatClient.connect(server.url, ann.token);
    await sender.join('busy');

    // A raw WebSocket that joins, then stops reading from its TCP socket.
    const slow = new WebSocket(`${server.url.replace('http', 'ws')}/primus?access_token=${sleepy.token}`);
    await new Promise((resolve) => slow.once('open', resolve));
    const joined = new Promise((resolve) =>
      slow.on('message', (data: Buffer) => data.toString().includes('"joined"') && resolve(true)),
    );
    slow.send(JSON.stringify({ type: 'join', room: 'busy' }));
    await joined;
    const closed = new Promise<number>((resolve) => slow.once('close', (code) => resolve(code)));
    const tcp = (slow as unknown as { _socket: { pause(): void; resume(): void } })._socket;
    tcp.pause();

    const rssBefore = await serverRss(server.url);
    const text = 'x'.repeat(4000);
    const total = 3000;
    // Paced in bursts, as people type, so that the reader that does read keeps up.
    for (let i = 0; i < total; i++) {
      sender.send({ type: 'send', room: 'busy', clientId: `m${i}`, text });
      if (i % 100 === 99) await waitFor(() => reader.of('message').length > i - 50, { timeoutMs: 20_000 });
    }
    await waitFor(() => sender.of('ack').length === total, { timeoutMs: 60_000, what: 'every ack' });
    await waitFor(() => reader.of('message').length === total, { timeoutMs: 60_000, what: 'every broadcast' });
    // The server cut it off, holding at most eight times the cap for it meanwhile.
    const cut = await waitFor(() =>
      server
        .output()
        .stdout.split('\n')
        .find((line) => line.includes('cutting off a client that stopped reading')),
    );
    const { buffered } = JSON.parse(cut) as { buffered: number };
    assert.ok(buffered <= 8 * cap + 64 * 1024, `buffered ${buffered} bytes at most`);
    const growth = (await serverRss(server.url)) - rssBefore;
    assert.ok(growth < 256 * 1024 * 1024, `server memory grew ${growth} bytes`);

    tcp.resume();
    await closed;
    const history = await api(server.url, sleepy.token, '/history?room=busy&since=0&limit=500');
    assert.equal(history.status, 200);
    assert.equal(history.body.messages.length, 500, 'it catches up from history, page by page');
    assert.equal(reader.closed, false, 'the reader that reads was never cut off');
    reader.close();
    sender.close();
  });
});
