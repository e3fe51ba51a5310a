import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ChatClient, api, guest } from './helpers/clients.ts';
import { RawSocket } from './helpers/raw-socket.ts';
import { startTestServer, type TestServer } from './helpers/test-server.ts';
import { waitFor } from './helpers/wait-for.ts';

/** Long enough to see that something did not arrive (used only for negative assertions). */
const settle = () => new Promise((resolve) => setTimeout(resolve, 150));

/** A raw connection of a new guest that has joined the lobby, for sending what Primus clients never would. */
async function rawInLobby(server: TestServer): Promise<RawSocket> {
  const { token } = await guest(server.url);
  const socket = await RawSocket.connect(server.url, token);
  socket.send({ type: 'join', room: 'lobby' });
  await socket.next('joined');
  return socket;
}

/** Proves the connection is open and still answers. */
async function stillWorks(socket: RawSocket, clientId: string): Promise<void> {
  socket.send({ type: 'send', room: 'lobby', clientId, text: 'still here' });
  assert.equal((await socket.next('ack', (a) => a.clientId === clientId)).message.text, 'still here');
  assert.ok(socket.open);
}

/** Bad input never crashes or corrupts, and gets the contract's error code. */
describe('bad frames: parsing and validation', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  test('malformed JSON gets bad_request and the connection stays open and works', async () => {
    const socket = await rawInLobby(server);
    socket.sendText('{bad');
    const error = await socket.next('error');
    assert.equal(error.code, 'bad_request');
    assert.equal(error.ref, undefined);
    socket.sendText('');
    socket.sendText('{"type":"send"');
    await waitFor(() => socket.of('error').length === 3);
    assert.ok(socket.of('error').every((e) => e.code === 'bad_request'));
    await stillWorks(socket, 'after-bad-json');
    socket.close();
  });

  test('a JSON value that is not an object gets bad_request', async () => {
    const socket = await rawInLobby(server);
    const values = ['42', 'null', '[]', '"join"', 'true', '[{"type":"join","room":"lobby"}]'];
    for (const value of values) socket.sendText(value);
    await waitFor(() => socket.of('error').length === values.length, { what: 'an error per value' });
    assert.ok(socket.of('error').every((e) => e.code === 'bad_request'));
    // A binary frame is no JSON object either.
    socket.ws.send(Buffer.from('{"type":"join","room":"lobby"}'));
    await waitFor(() => socket.of('error').length === values.length + 1);
    await stillWorks(socket, 'after-non-objects');
    socket.close();
  });

  test('the same through a real Primus client', async () => {
    const { token } = await guest(server.url);
    const client = await ChatClient.connect(server.url, token);
    for (const value of [42, null, [], 'join', { type: 'nope' }]) client.send(value);
    await waitFor(() => client.of('error').length === 5);
    assert.ok(client.of('error').every((e) => e.code === 'bad_request'));
    assert.equal(typeof (await client.join('lobby')), 'number');
    client.close();
  });

  test('an unknown type or no type gets bad_request, with the room as ref', async () => {
    const socket = await rawInLobby(server);
    socket.send({ type: 'explode', room: 'lobby' });
    const unknown = await socket.next('error');
    assert.equal(unknown.code, 'bad_request');
    assert.equal(unknown.ref, 'lobby');
    socket.send({ room: 'lobby' });
    socket.send({ type: 42 });
    await waitFor(() => socket.of('error').length === 3);
    assert.ok(socket.of('error').every((e) => e.code === 'bad_request'));
    await stillWorks(socket, 'after-unknown');
    socket.close();
  });

  test('missing or mistyped fields get bad_request; ref is the clientId, else the room', async () => {
    const socket = await rawInLobby(server);
    socket.send({ type: 'send', room: 'lobby', clientId: 'no-text' });
    assert.deepEqual(
      { code: (await socket.next('error')).code, ref: socket.of('error')[0]?.ref },
      { code: 'bad_request', ref: 'no-text' },
    );
    socket.send({ type: 'send', room: 'lobby', text: 'no clientId' });
    socket.send({ type: 'send', room: 'lobby', clientId: 'num-text', text: 42 });
    socket.send({ type: 'send', room: 'lobby', clientId: 'empty-text', text: '' });
    socket.send({ type: 'send', room: 'lobby', clientId: 'bad-date', text: 'x', clientDate: { a: 1 } });
    socket.send({ type: 'join' });
    socket.send({ type: 'like', room: 'lobby' });
    await waitFor(() => socket.of('error').length === 7);
    const errors = socket.of('error');
    assert.ok(errors.every((e) => e.code === 'bad_request'));
    assert.deepEqual(
      errors.map((e) => e.ref),
      ['no-text', 'lobby', 'num-text', 'empty-text', 'bad-date', undefined, 'lobby'],
    );
    await stillWorks(socket, 'after-missing');
    socket.close();
  });

  test('text over 4,000 characters gets bad_request; 4,000 is accepted', async () => {
    const socket = await rawInLobby(server);
    socket.send({ type: 'send', room: 'lobby', clientId: 'long', text: 'x'.repeat(4001) });
    const error = await socket.next('error');
    assert.deepEqual([error.code, error.ref], ['bad_request', 'long']);
    socket.send({ type: 'send', room: 'lobby', clientId: 'max', text: 'y'.repeat(4000) });
    assert.equal((await socket.next('ack')).message.text.length, 4000);
    socket.close();
  });

  test('a clientId of 65 characters gets bad_request (the ref falls back to the room); 64 is accepted', async () => {
    const socket = await rawInLobby(server);
    socket.send({ type: 'send', room: 'lobby', clientId: 'c'.repeat(65), text: 'hi' });
    const error = await socket.next('error');
    assert.deepEqual([error.code, error.ref], ['bad_request', 'lobby']);
    socket.send({ type: 'send', room: 'lobby', clientId: 'c'.repeat(64), text: 'hi' });
    assert.equal((await socket.next('ack')).clientId, 'c'.repeat(64));
    socket.close();
  });

  test('lone surrogates and NUL are refused in text and in clientId', async () => {
    const socket = await rawInLobby(server);
    socket.sendText('{"type":"send","room":"lobby","clientId":"sur","text":"a\\ud800b"}');
    socket.sendText('{"type":"send","room":"lobby","clientId":"nul","text":"a\\u0000b"}');
    await waitFor(() => socket.of('error').length === 2);
    assert.deepEqual(
      socket.of('error').map((e) => [e.code, e.ref]),
      [
        ['bad_request', 'sur'],
        ['bad_request', 'nul'],
      ],
    );
    // Two different ill-formed clientIds would both be stored as U+FFFD and collide.
    socket.sendText('{"type":"send","room":"lobby","clientId":"\\ud800","text":"one"}');
    socket.sendText('{"type":"send","room":"lobby","clientId":"\\udbff","text":"two"}');
    socket.sendText('{"type":"send","room":"lobby","clientId":"n\\u0000l","text":"three"}');
    await waitFor(() => socket.of('error').length === 5);
    assert.ok(socket.of('error').every((e) => e.code === 'bad_request'));
    assert.equal(socket.of('ack').length, 0);
    await stillWorks(socket, 'after-surrogates');
    socket.close();
  });
});

describe('bad frames: room names and prototype keys', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  test('bad room names get bad_request and subscribe the connection to nothing', async () => {
    const badNames = ['*', 'a b', '(*', 'Lobby', 'dm:*', 'r'.repeat(65), '', 'lobby ', 'a,b', '../x', 'lobby\u0000'];
    const { token } = await guest(server.url, 'Victim');
    const victim = await ChatClient.connect(server.url, token);
    for (const room of badNames) victim.send({ type: 'join', room });
    await waitFor(() => victim.of('error').length === badNames.length, { what: 'an error per bad name' });
    assert.ok(victim.of('error').every((e) => e.code === 'bad_request'));
    assert.equal(victim.of('joined').length, 0);
    // primus-rooms holds no room of those names (nor the pieces of `a b`).
    const rooms = server.app.realtime.primus.adapter.get(null);
    for (const room of [...badNames, 'a', 'b']) {
      assert.ok(!rooms.includes(room), `primus-rooms has no ${JSON.stringify(room)}`);
    }

    // Someone else talks in the lobby, in `a` and in `b`: the victim hears nothing.
    const other = await guest(server.url, 'Other');
    const talker = await ChatClient.connect(server.url, other.token);
    await talker.join('lobby');
    await talker.join('a', 'public');
    await talker.join('b', 'public');
    for (const room of ['lobby', 'a', 'b']) talker.send({ type: 'send', room, clientId: `to-${room}`, text: 'psst' });
    await waitFor(() => talker.of('message').length === 3);
    await settle();
    assert.equal(victim.of('message').length, 0);
    // Nor may it send to a room it failed to join.
    victim.send({ type: 'send', room: 'lobby', clientId: 'sneak', text: 'hi' });
    assert.equal((await victim.next('error', (e) => e.ref === 'sneak')).code, 'forbidden');
    victim.close();
    talker.close();
  });

  test('__proto__ and constructor keys do not pollute Object.prototype', async () => {
    const socket = await rawInLobby(server);
    socket.sendText('{"__proto__":{"polluted":"yes","type":"join","room":"lobby"}}');
    socket.sendText('{"type":"join","room":"lobby","__proto__":{"polluted":"yes"}}');
    socket.sendText(
      '{"type":"send","room":"lobby","clientId":"proto","text":"x","constructor":{"prototype":{"polluted":"yes"}},"__proto__":{"polluted":"yes"}}',
    );
    socket.sendText('{"type":"send","room":"__proto__","clientId":"proto2","text":"x"}');
    socket.sendText('{"type":"join","room":"constructor","visibility":"public"}');
    await waitFor(() => socket.frames.length >= 6, { what: 'an answer to every frame' });
    assert.equal(({} as { polluted?: unknown }).polluted, undefined);
    assert.equal(Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted'), false);
    await stillWorks(socket, 'after-proto');
    socket.close();
  });

  test('a room named `constructor` is a room like any other, and touches no global', async () => {
    const ann = await guest(server.url);
    const bob = await guest(server.url, 'Bob');
    const a = await ChatClient.connect(server.url, ann.token);
    const b = await ChatClient.connect(server.url, bob.token);
    // Leaving a room never joined is a no-op answered with `left`.
    a.send({ type: 'leave', room: 'constructor' });
    assert.deepEqual(await a.next('left'), { type: 'left', room: 'constructor' });
    await a.join('constructor', 'public');
    assert.deepEqual(Object.keys(Object), [], 'no spark id on the global Object');
    a.send({ type: 'send', room: 'constructor', clientId: 'ctor-1', text: 'hi' });
    await a.next('message');
    await b.join('lobby');
    await settle();
    assert.equal(b.of('message').length, 0, 'a non-subscriber hears nothing');
    a.send({ type: 'leave', room: 'constructor' });
    await waitFor(() => a.of('left').length === 2);
    assert.equal(a.of('error').length, 0);
    a.close();
    b.close();
  });
});

describe('bad frames: size limit and floods', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  test('a frame over 64 KiB closes the connection with 1009; others keep being served', async () => {
    const bystander = await rawInLobby(server);
    const socket = await rawInLobby(server);
    socket.send({ type: 'send', room: 'lobby', clientId: 'huge', text: 'x'.repeat(70 * 1024) });
    assert.equal(await socket.closed(), 1009);
    assert.equal(socket.of('error').length, 0, 'closed, not parsed and answered');
    await stillWorks(bystander, 'bystander');
    const late = await rawInLobby(server);
    await stillWorks(late, 'late');
    bystander.close();
    late.close();
  });

  test('a frame under 64 KiB with too long a text is answered, not closed', async () => {
    const socket = await rawInLobby(server);
    socket.send({ type: 'send', room: 'lobby', clientId: 'big', text: 'x'.repeat(60 * 1024) });
    assert.equal((await socket.next('error')).code, 'bad_request');
    await stillWorks(socket, 'after-big');
    socket.close();
  });

  test('a flood of bad frames closes the connection; the server keeps serving others', async () => {
    const bystander = await rawInLobby(server);
    const socket = await rawInLobby(server);
    for (let i = 0; i < 100; i++) socket.sendText('{bad');
    await socket.closed();
    assert.ok(socket.of('error').length < 100, 'the server stopped answering and closed');
    await stillWorks(bystander, 'after-flood');
    bystander.close();
  });

  test('a flood of valid frames is refused with rate_limited', async () => {
    const socket = await rawInLobby(server);
    for (let i = 0; i < 250; i++) socket.send({ type: 'typing', room: 'lobby' });
    const error = await socket.next('error');
    assert.equal(error.code, 'rate_limited');
    socket.close();
  });

  test('the 21st message in 10 s gets rate_limited (default limit)', async () => {
    const socket = await rawInLobby(server);
    for (let i = 1; i <= 21; i++) socket.send({ type: 'send', room: 'lobby', clientId: `d${i}`, text: `m${i}` });
    const error = await socket.next('error');
    assert.deepEqual([error.code, error.ref], ['rate_limited', 'd21']);
    await waitFor(() => socket.of('ack').length === 20);
    assert.deepEqual(
      socket.of('ack').map((a) => a.clientId),
      Array.from({ length: 20 }, (_, i) => `d${i + 1}`),
    );
    socket.close();
  });
});

describe('per-user message rate limit (configured: 5 per 10 s)', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ env: { RATE_LIMIT_MESSAGES: '5', RATE_LIMIT_WINDOW_S: '10' } });
  });
  after(() => server.close());

  test('past the limit: rate_limited, on every connection of that user, not for others', async () => {
    const ann = await guest(server.url);
    const a1 = await ChatClient.connect(server.url, ann.token);
    const a2 = await ChatClient.connect(server.url, ann.token);
    await a1.join('lobby');
    await a2.join('lobby');
    for (let i = 1; i <= 6; i++) a1.send({ type: 'send', room: 'lobby', clientId: `r${i}`, text: `m${i}` });
    const limited = await a1.next('error');
    assert.deepEqual([limited.code, limited.ref], ['rate_limited', 'r6']);
    await waitFor(() => a1.of('ack').length === 5);

    // Per user, not per connection: the second connection is limited too.
    a2.send({ type: 'send', room: 'lobby', clientId: 'other-conn', text: 'me again' });
    const limited2 = await a2.next('error');
    assert.deepEqual([limited2.code, limited2.ref], ['rate_limited', 'other-conn']);

    // A resend of an acked clientId still gets its ack: it stores nothing.
    a2.send({ type: 'send', room: 'lobby', clientId: 'r3', text: 'm3' });
    assert.deepEqual(await a2.next('ack'), a1.of('ack')[2]);

    const bob = await guest(server.url, 'Bob');
    const b = await ChatClient.connect(server.url, bob.token);
    await b.join('lobby');
    b.send({ type: 'send', room: 'lobby', clientId: 'bob-1', text: 'free' });
    assert.equal((await b.next('ack')).clientId, 'bob-1');

    const history = await api(server.url, ann.token, '/history?room=lobby');
    assert.deepEqual(
      history.body.messages.map((m: { text: string }) => m.text),
      ['m1', 'm2', 'm3', 'm4', 'm5', 'free'],
    );
    for (const c of [a1, a2, b]) c.close();
  });
});

describe('bad HTTP input: bodies', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  test('a body that is not valid JSON is 400 bad_request with the error body', async () => {
    const response = await fetch(`${server.url}/auth/guest`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{bad',
    });
    assert.equal(response.status, 400);
    assert.match(response.headers.get('content-type') ?? '', /application\/json/);
    const body = (await response.json()) as { error: { code: string; message: string } };
    assert.equal(body.error.code, 'bad_request');
    assert.equal(typeof body.error.message, 'string');
    assert.deepEqual(Object.keys(body), ['error']);
  });

  test('a body with a missing, mistyped or malformed field is 400 bad_request', async () => {
    for (const body of [
      '{}',
      '{"name":42}',
      '{"name":""}',
      '{"name":"   "}',
      `{"name":"${'n'.repeat(65)}"}`,
      '[]',
      'null',
    ]) {
      const answer = await api(server.url, undefined, '/auth/guest', { method: 'POST', body });
      assert.equal(answer.status, 400, body.slice(0, 20));
      assert.equal(answer.body.error.code, 'bad_request', body.slice(0, 20));
    }
    const surrogate = await api(server.url, undefined, '/auth/guest', { method: 'POST', body: '{"name":"a\\ud800"}' });
    assert.equal(surrogate.status, 400);
  });

  test('a __proto__ key in a JSON body is refused and pollutes nothing', async () => {
    for (const body of [
      '{"name":"x","__proto__":{"polluted":"yes"}}',
      '{"name":"x","constructor":{"prototype":{"polluted":"yes"}}}',
    ]) {
      const answer = await api(server.url, undefined, '/auth/guest', { method: 'POST', body });
      assert.equal(answer.status, 400, body);
      assert.equal(answer.body.error.code, 'bad_request');
    }
    assert.equal(({} as { polluted?: unknown }).polluted, undefined);
  });

  test('a body over the size limit is 413 too_large', async () => {
    const answer = await api(server.url, undefined, '/auth/guest', {
      method: 'POST',
      body: JSON.stringify({ name: 'x'.repeat(100 * 1024) }),
    });
    assert.equal(answer.status, 413);
    assert.equal(answer.body.error.code, 'too_large');
  });
});

describe('bad HTTP input: queries and routes', () => {
  let server: TestServer;
  let token: string;
  before(async () => {
    server = await startTestServer();
    token = (await guest(server.url)).token;
  });
  after(() => server.close());

  test('/history refuses bad since, before and limit values with 400 bad_request', async () => {
    const bad = [
      'since=1%20OR%201%3D1',
      "since=1'%3B--",
      'since=9999999999999999999',
      'since=-1',
      'since=1.5',
      'since=yesterday',
      'since=2026-13-45',
      'since=2026-02-30',
      'since=2025-02-29T10:00Z',
      'since=2026-04-31',
      'limit=0',
      'limit=501',
      'limit=-1',
      'limit=abc',
      'before=abc',
      'since=1&before=5',
      'room=*',
      'room=Lobby',
    ];
    for (const query of bad) {
      const path = query.startsWith('room=') ? `/history?${query}` : `/history?room=lobby&${query}`;
      const answer = await api(server.url, token, path);
      assert.equal(answer.status, 400, query);
      assert.equal(answer.body.error.code, 'bad_request', query);
    }
    const noRoom = await api(server.url, token, '/history');
    assert.equal(noRoom.status, 400);
    const twoRooms = await api(server.url, token, '/history?room=lobby&room=other');
    assert.equal(twoRooms.status, 400);
  });

  test('an unknown route is 404 not_found as JSON', async () => {
    for (const [method, path] of [
      ['GET', '/nope'],
      ['POST', '/nope'],
      ['GET', '/history/extra'],
      ['DELETE', '/me'],
    ] as const) {
      const answer = await api(server.url, token, path, { method });
      assert.equal(answer.status, 404, `${method} ${path}`);
      assert.equal(answer.body.error.code, 'not_found', `${method} ${path}`);
    }
  });

  test('the server is still healthy after all of it', async () => {
    assert.equal((await api(server.url, undefined, '/healthz')).status, 200);
    assert.equal((await api(server.url, token, '/me')).status, 200);
  });
});

describe('X-Forwarded-For is not trusted by default', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  test('a client cannot dodge the guest sign-in limit by claiming other addresses', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 35; i++) {
      const answer = await api(server.url, undefined, '/auth/guest', {
        method: 'POST',
        headers: { 'x-forwarded-for': `10.0.${i}.1`, forwarded: `for=10.0.${i}.1` },
        body: JSON.stringify({ name: `g${i}` }),
      });
      statuses.push(answer.status);
      if (answer.status === 429) assert.equal(answer.body.error.code, 'rate_limited');
    }
    assert.ok(statuses.includes(429), `the limit applies to the real address: ${statuses.join(',')}`);
  });
});
