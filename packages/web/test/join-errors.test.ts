import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ClientFrame, ServerFrame, User } from '@pockychat/protocol';
import type { ChatSocket, ChatSocketHandlers } from '../src/api/chat-socket.ts';
import type { FilesApi } from '../src/api/files-api.ts';
import type { HttpApi } from '../src/api/http-api.ts';
import type { RoomsApi } from '../src/api/rooms-api.ts';
import { ChatSession } from '../src/session/chat-session.ts';
import { createChatStore } from '../src/state/store.ts';

const me: User = { id: 'u1', name: 'Eve', kind: 'guest' };

/**
 * A session whose socket is a recorder: what the server would answer is
 * played in by the test. The HTTP side answers empty lists (no directory,
 * no invites), which these join answers never depend on.
 */
async function session(): Promise<{
  chat: ChatSession;
  store: ReturnType<typeof createChatStore>;
  joins: () => string[];
  answer: (frame: ServerFrame) => void;
}> {
  const store = createChatStore();
  const sent: ClientFrame[] = [];
  let handlers: ChatSocketHandlers | undefined;
  const http = { rooms: async () => [], me: async () => me, history: async () => [] } as unknown as HttpApi;
  const rooms = { invites: async () => [] } as unknown as RoomsApi;
  const chat = new ChatSession(store, http, me, () => undefined, {} as FilesApi, rooms);
  await chat.start(async (h) => {
    handlers = h;
    return { send: (frame: ClientFrame) => sent.push(frame), close: () => undefined } as unknown as ChatSocket;
  });
  handlers?.open();
  return {
    chat,
    store,
    joins: () => sent.flatMap((frame) => (frame.type === 'join' ? [frame.room] : [])),
    answer: (frame) => handlers?.frame(frame),
  };
}

test('a join the server fails (internal, rate_limited) keeps the room and is asked again', async (t) => {
  const { chat, store, joins, answer } = await session();
  t.after(() => chat.stop());
  assert.deepEqual(joins(), ['lobby']);
  answer({ type: 'error', code: 'internal', message: 'the database is unavailable', ref: 'lobby' });
  assert.ok(store.getState().rooms.lobby, 'the lobby is still shown');
  assert.equal(store.getState().activeRoom, 'lobby');
  await new Promise((resolve) => setTimeout(resolve, 2200));
  assert.deepEqual(joins(), ['lobby', 'lobby'], 'joined again after a pause');
  answer({ type: 'error', code: 'rate_limited', message: 'too many frames; slow down', ref: 'lobby' });
  assert.ok(store.getState().rooms.lobby);
});

test('a join the server refuses (forbidden) takes the room away with the reason', async (t) => {
  const { chat, store, joins, answer } = await session();
  t.after(() => chat.stop());
  chat.joinRoom('secret');
  assert.deepEqual(joins(), ['lobby', 'secret']);
  answer({ type: 'error', code: 'forbidden', message: 'private room', ref: 'secret' });
  assert.equal(store.getState().rooms.secret, undefined);
  assert.match(store.getState().notice ?? '', /Cannot join secret: it is private/);
});
