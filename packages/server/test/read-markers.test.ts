import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { RoomSummary } from '@pockychat/protocol';
import { ChatClient, api, guest } from './helpers/clients.ts';
import { startTestServer, type TestServer } from './helpers/test-server.ts';

/** The read-marker checks of the contract (PROTOCOL.md, "Read markers and unread counts"), on a real server. */
describe('read markers', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  /** Sends a frame with an id and waits for its ok (or error). */
  const request = async (client: ChatClient, frame: Record<string, unknown>) => {
    const id = `r${Math.random().toString(36).slice(2)}`;
    client.send({ ...frame, id });
    return client.next('ok', (f) => f.id === id).catch(async () => client.next('error', (f) => f.id === id));
  };
  const answer = async (client: ChatClient, frame: Record<string, unknown>) => {
    const id = `r${Math.random().toString(36).slice(2)}`;
    client.send({ ...frame, id });
    await client.next('ok', (f) => f.id === id, 5000).catch(() => undefined);
    return client.frames.find((f) => (f.type === 'ok' || f.type === 'error') && f.id === id);
  };
  const sendText = async (client: ChatClient, room: string, text: string, mentions?: string[]) => {
    const clientId = `c${Math.random().toString(36).slice(2)}`;
    client.send({ type: 'send', room, clientId, text, ...(mentions && { mentions }) });
    return (await client.next('ack', (f) => f.clientId === clientId)).message;
  };
  const roomsOf = async (token: string) => {
    const { body } = await api(server.url, token, '/rooms');
    return new Map((body as { rooms: RoomSummary[] }).rooms.map((r) => [r.name, r]));
  };

  test("joined carries readSeq; a read is ok'd, reaches the user's other connections and not the sender's", async () => {
    const ann = await guest(server.url, 'Ann');
    const bob = await guest(server.url, 'Bob');
    const [a1, a2, b] = await Promise.all([
      ChatClient.connect(server.url, ann.token),
      ChatClient.connect(server.url, ann.token),
      ChatClient.connect(server.url, bob.token),
    ]);
    for (const c of [a1, a2, b]) await c.join('rm-echo', 'public');
    assert.equal((await a1.next('joined', (f) => f.room === 'rm-echo')).readSeq, 0, 'never read: 0');
    for (let i = 0; i < 3; i++) await sendText(b, 'rm-echo', `hello ${i}`);

    assert.equal((await request(a1, { type: 'read', room: 'rm-echo', seq: 2 })).type, 'ok');
    assert.deepEqual(await a2.next('read'), { type: 'read', room: 'rm-echo', seq: 2 });
    // A later frame's answer shows the first one's echo would have come by now: none for the sender.
    assert.equal((await request(a1, { type: 'read', room: 'rm-echo', seq: 1 })).type, 'ok', 'backwards: ok, no move');
    assert.equal((await request(a2, { type: 'read', room: 'rm-echo', seq: 3 })).type, 'ok');
    await a1.next('read', (f) => f.seq === 3);
    assert.deepEqual(
      a1.of('read').map((f) => f.seq),
      [3],
      'the sender hears only the other connection',
    );
    assert.deepEqual(
      a2.of('read').map((f) => f.seq),
      [2],
      'a marker that did not move is not echoed',
    );
    assert.equal(b.of('read').length, 0, "another user's connections hear nothing");

    const again = await ChatClient.connect(server.url, ann.token);
    await again.join('rm-echo');
    assert.equal((await again.next('joined')).readSeq, 3);
    for (const c of [a1, a2, b, again]) c.close();
  });

  test("a marker is clamped to the room's last seq", async () => {
    const ann = await guest(server.url, 'Ann');
    const a = await ChatClient.connect(server.url, ann.token);
    await a.join('rm-clamp', 'public');
    await sendText(a, 'rm-clamp', 'one');
    await sendText(a, 'rm-clamp', 'two');
    assert.equal((await request(a, { type: 'read', room: 'rm-clamp', seq: 1_000_000 })).type, 'ok');
    assert.equal((await roomsOf(ann.token)).get('rm-clamp')?.readSeq, 2);
    a.close();
  });

  test('GET /rooms: unread counts others after the marker, not own nor deleted; mentions among them', async () => {
    const ann = await guest(server.url, 'Ann');
    const bob = await guest(server.url, 'Bob');
    const a = await ChatClient.connect(server.url, ann.token);
    const b = await ChatClient.connect(server.url, bob.token);
    await a.join('rm-counts', 'public');
    await b.join('rm-counts');
    const first = await sendText(b, 'rm-counts', 'one');
    await sendText(a, 'rm-counts', 'mine');
    await sendText(b, 'rm-counts', 'hey @Ann', [ann.user.id]);
    const doomed = await sendText(b, 'rm-counts', 'also @Ann', [ann.user.id]);
    await sendText(b, 'rm-counts', 'four');
    assert.deepEqual(pick((await roomsOf(ann.token)).get('rm-counts')), { readSeq: 0, unread: 4, mentions: 2 });
    assert.deepEqual(pick((await roomsOf(bob.token)).get('rm-counts')), { readSeq: 0, unread: 1, mentions: 0 });
    assert.equal((await request(b, { type: 'delete', room: 'rm-counts', messageId: doomed.id })).type, 'ok');
    assert.deepEqual(pick((await roomsOf(ann.token)).get('rm-counts')), { readSeq: 0, unread: 3, mentions: 1 });
    await request(a, { type: 'read', room: 'rm-counts', seq: first.seq + 2 });
    assert.deepEqual(pick((await roomsOf(ann.token)).get('rm-counts')), { readSeq: 3, unread: 1, mentions: 0 });
    const lobby = (await roomsOf(ann.token)).get('lobby');
    assert.equal(lobby?.unread, undefined, 'not a member of the lobby: no counts');
    a.close();
    b.close();
  });

  test('bad input: a negative or fractional seq is bad_request, an unreadable room forbidden; the connection lives', async () => {
    const ann = await guest(server.url, 'Ann');
    const bob = await guest(server.url, 'Bob');
    const a = await ChatClient.connect(server.url, ann.token);
    const b = await ChatClient.connect(server.url, bob.token);
    await b.join('rm-private', 'private');
    await sendText(b, 'rm-private', 'secret');
    for (const seq of [-1, 1.5, '3']) {
      const refused = await answer(a, { type: 'read', room: 'lobby', seq });
      assert.equal(refused?.type === 'error' && refused.code, 'bad_request', `seq ${String(seq)}`);
    }
    for (const room of ['rm-nowhere', 'rm-private']) {
      const refused = await answer(a, { type: 'read', room, seq: 1 });
      assert.equal(refused?.type === 'error' && refused.code, 'forbidden', room);
    }
    assert.equal(b.of('read').length, 0);
    await a.join('rm-after', 'public');
    assert.equal((await request(a, { type: 'read', room: 'rm-after', seq: 0 })).type, 'ok', 'still served');
    assert.equal(a.closed, false);
    a.close();
    b.close();
  });
});

function pick(room: RoomSummary | undefined) {
  return room && { readSeq: room.readSeq, unread: room.unread, mentions: room.mentions };
}
