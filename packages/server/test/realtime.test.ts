import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ChatClient, api, guest } from './helpers/clients.ts';
import { startTestServer, type TestServer } from './helpers/test-server.ts';
import { waitFor } from './helpers/wait-for.ts';

describe('realtime: join, send, ack, message, likes, typing', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  test('a message is acked to its sender and broadcast once to every subscriber', async () => {
    const ann = await guest(server.url, 'Ann');
    const bob = await guest(server.url, 'Bob');
    const a = await ChatClient.connect(server.url, ann.token);
    const b = await ChatClient.connect(server.url, bob.token);
    assert.equal(await a.join('lobby'), 0);
    await b.join('lobby');

    a.send({ type: 'send', room: 'lobby', clientId: 'c1', text: 'hello', clientDate: '2026-01-01T00:00:00Z' });
    const ack = await a.next('ack');
    assert.equal(ack.clientId, 'c1');
    assert.equal(ack.clientDate, '2026-01-01T00:00:00Z');
    assert.equal(ack.message.seq, 1);
    assert.equal(ack.message.text, 'hello');
    assert.deepEqual(ack.message.author, ann.user);
    assert.deepEqual(ack.message.likes, []);

    const seen = await b.next('message');
    assert.deepEqual(seen.message, ack.message);
    assert.equal('clientId' in seen.message, false, 'clientId never leaks to others');
    await a.next('message');
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(a.of('message').length, 1);
    assert.equal(b.of('message').length, 1);
    // The ack reaches the sender before the broadcast of the same message.
    assert.ok(a.frames.findIndex((f) => f.type === 'ack') < a.frames.findIndex((f) => f.type === 'message'));
    a.close();
    b.close();
  });

  test('sending to a room the connection has not joined is forbidden', async () => {
    const ann = await guest(server.url);
    const a = await ChatClient.connect(server.url, ann.token);
    a.send({ type: 'send', room: 'lobby', clientId: 'x1', text: 'hi' });
    const error = await a.next('error');
    assert.equal(error.code, 'forbidden');
    assert.equal(error.ref, 'x1');
    a.close();
  });

  test('join, typing and send in one go: the frames after the join wait for it, none is refused', async () => {
    const ann = await guest(server.url, 'Ann');
    const a = await ChatClient.connect(server.url, ann.token);
    // No wait for `joined`: the join's database work (its flush to disk) is still under way.
    a.send({ type: 'join', room: 'fresh-room', visibility: 'public' });
    a.send({ type: 'typing', room: 'fresh-room' });
    a.send({ type: 'send', room: 'fresh-room', clientId: 'j1', text: 'right after joining' });
    const ack = await a.next('ack');
    assert.equal(ack.message.text, 'right after joining');
    assert.deepEqual(a.of('error'), []);
    const kinds = a.frames.map((f) => f.type).filter((t) => t === 'joined' || t === 'ack');
    assert.deepEqual(kinds, ['joined', 'ack'], 'joined is answered before the ack');
    a.close();
  });

  test('a resent clientId returns the first ack, stores nothing and broadcasts nothing', async () => {
    const ann = await guest(server.url);
    const bob = await guest(server.url, 'Bob');
    const a = await ChatClient.connect(server.url, ann.token);
    const b = await ChatClient.connect(server.url, bob.token);
    await a.join('resend-room', 'public');
    await b.join('resend-room');
    a.send({ type: 'send', room: 'resend-room', clientId: 'same', text: 'once' });
    const first = await a.next('ack');
    a.send({ type: 'send', room: 'resend-room', clientId: 'same', text: 'once' });
    await waitFor(() => a.of('ack').length === 2);
    assert.deepEqual(a.of('ack')[1], first);
    // A second connection of the same user after a reconnect gets the same answer.
    const a2 = await ChatClient.connect(server.url, ann.token);
    await a2.join('resend-room');
    a2.send({ type: 'send', room: 'resend-room', clientId: 'same', text: 'once' });
    assert.deepEqual(await a2.next('ack'), first);
    const history = await api(server.url, ann.token, '/history?room=resend-room');
    assert.equal(history.body.messages.length, 1);
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(b.of('message').length, 1);
    for (const c of [a, a2, b]) c.close();
  });

  test('likes are idempotent and broadcast only when they change', async () => {
    const ann = await guest(server.url);
    const bob = await guest(server.url, 'Bob');
    const a = await ChatClient.connect(server.url, ann.token);
    const b = await ChatClient.connect(server.url, bob.token);
    await a.join('likes-room', 'public');
    await b.join('likes-room');
    a.send({ type: 'send', room: 'likes-room', clientId: 'l1', text: 'like me' });
    const { message } = await a.next('ack');
    b.send({ type: 'like', room: 'likes-room', messageId: message.id });
    const likes = await a.next('likes');
    assert.deepEqual(likes, { type: 'likes', room: 'likes-room', messageId: message.id, likes: [bob.user.id] });
    b.send({ type: 'like', room: 'likes-room', messageId: message.id });
    b.send({ type: 'unlike', room: 'likes-room', messageId: message.id });
    await waitFor(() => a.of('likes').length === 2);
    assert.deepEqual(a.of('likes')[1]?.likes, []);
    const history = await api(server.url, ann.token, '/history?room=likes-room');
    assert.deepEqual(history.body.messages[0].likes, []);
    b.send({ type: 'like', room: 'likes-room', messageId: 'nope' });
    assert.equal((await b.next('error')).code, 'not_found');
    a.close();
    b.close();
  });

  test('typing reaches the others in the room, not the typist', async () => {
    const ann = await guest(server.url);
    const bob = await guest(server.url, 'Bob');
    const a = await ChatClient.connect(server.url, ann.token);
    const b = await ChatClient.connect(server.url, bob.token);
    await a.join('typing-room', 'public');
    await b.join('typing-room');
    a.send({ type: 'typing', room: 'typing-room' });
    const typing = await b.next('typing');
    assert.deepEqual(typing, { type: 'typing', room: 'typing-room', user: ann.user });
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(a.of('typing').length, 0);
    a.close();
    b.close();
  });

  test('leave unsubscribes the connection', async () => {
    const ann = await guest(server.url);
    const bob = await guest(server.url, 'Bob');
    const a = await ChatClient.connect(server.url, ann.token);
    const b = await ChatClient.connect(server.url, bob.token);
    await a.join('leave-room', 'public');
    await b.join('leave-room');
    b.send({ type: 'leave', room: 'leave-room' });
    assert.deepEqual(await b.next('left'), { type: 'left', room: 'leave-room' });
    a.send({ type: 'send', room: 'leave-room', clientId: 'after-leave', text: 'anyone?' });
    await a.next('message');
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(b.of('message').length, 0);
    a.close();
    b.close();
  });

  test('a private room refuses others; a public one lets anyone in; the lobby is public', async () => {
    const ann = await guest(server.url);
    const bob = await guest(server.url, 'Bob');
    const a = await ChatClient.connect(server.url, ann.token);
    const b = await ChatClient.connect(server.url, bob.token);
    await a.join('secret');
    await assert.rejects(b.join('secret'), /forbidden/);
    const denied = await api(server.url, bob.token, '/history?room=secret');
    assert.equal(denied.status, 403);
    assert.equal(denied.body.error.code, 'forbidden');
    await a.join('open', 'public');
    await b.join('open');
    await b.join('lobby');
    const rooms = await api(server.url, bob.token, '/rooms');
    const names = rooms.body.rooms.map((r: { name: string }) => r.name);
    assert.ok(names.includes('lobby') && names.includes('open'));
    assert.ok(!names.includes('secret'), 'a private room is not listed to a non-member');
    a.close();
    b.close();
  });
});
