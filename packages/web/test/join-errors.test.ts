import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ClientFrame, ServerFrame, User } from '@pockychat/protocol';
import type { ChatSocket, ChatSocketHandlers } from '../src/api/chat-socket.ts';
import type { FilesApi } from '../src/api/files-api.ts';
import type { SearchApi } from '../src/api/search-api.ts';
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
  /** The request id of the latest frame of this type (and room). */
  idOf: (type: ClientFrame['type'], room?: string) => string | undefined;
  answer: (frame: ServerFrame) => void;
}> {
  const store = createChatStore();
  const sent: ClientFrame[] = [];
  let handlers: ChatSocketHandlers | undefined;
  const http = { rooms: async () => [], me: async () => me, history: async () => [] } as unknown as HttpApi;
  const rooms = { invites: async () => [] } as unknown as RoomsApi;
  const chat = new ChatSession(store, http, me, () => undefined, {
    files: {} as FilesApi,
    rooms,
    search: {} as SearchApi,
  });
  await chat.start(async (h) => {
    handlers = h;
    return { send: (frame: ClientFrame) => sent.push(frame), close: () => undefined } as unknown as ChatSocket;
  });
  handlers?.open();
  return {
    chat,
    store,
    joins: () => sent.flatMap((frame) => (frame.type === 'join' ? [frame.room] : [])),
    idOf: (type, room) =>
      sent.findLast((frame) => frame.type === type && (room === undefined || ('room' in frame && frame.room === room)))
        ?.id,
    answer: (frame) => handlers?.frame(frame),
  };
}

test('a join the server fails (internal, rate_limited) keeps the room and is asked again', async (t) => {
  const { chat, store, joins, idOf, answer } = await session();
  t.after(() => chat.stop());
  assert.deepEqual(joins(), ['lobby']);
  answer({ type: 'error', id: idOf('join', 'lobby'), code: 'internal', message: 'the database is unavailable' });
  assert.ok(store.getState().rooms.lobby, 'the lobby is still shown');
  assert.equal(store.getState().activeRoom, 'lobby');
  await new Promise((resolve) => setTimeout(resolve, 2200));
  assert.deepEqual(joins(), ['lobby', 'lobby'], 'joined again after a pause');
  answer({ type: 'error', id: idOf('join', 'lobby'), code: 'rate_limited', message: 'too many frames; slow down' });
  assert.ok(store.getState().rooms.lobby);
});

test('a join the server refuses (forbidden) takes the room away with the reason', async (t) => {
  const { chat, store, joins, idOf, answer } = await session();
  t.after(() => chat.stop());
  chat.joinRoom('secret');
  assert.deepEqual(joins(), ['lobby', 'secret']);
  answer({ type: 'error', id: idOf('join', 'secret'), code: 'forbidden', message: 'private room' });
  assert.equal(store.getState().rooms.secret, undefined);
  assert.match(store.getState().notice ?? '', /Cannot join secret: it is private/);
});

test('answers are matched by request id, not by what their ref names', async (t) => {
  const { chat, store, idOf, answer } = await session();
  t.after(() => chat.stop());
  chat.joinRoom('secret');
  const lobbyJoin = idOf('join', 'lobby');
  const secretJoin = idOf('join', 'secret');
  assert.ok(lobbyJoin && secretJoin && lobbyJoin !== secretJoin, 'each frame has its own id');
  // An error naming the room in its ref, but answering no join of ours, takes nothing away.
  answer({ type: 'error', code: 'forbidden', message: 'not yours', ref: 'secret' });
  assert.ok(store.getState().rooms.secret, 'the room stays');
  answer({ type: 'joined', id: secretJoin, room: 'secret', lastSeq: 0, lastRev: 0 });
  assert.equal(store.getState().rooms.secret?.joined, true);
  // A send refused by id is marked failed, whatever its ref.
  chat.sendMessage('secret', 'hello');
  const sendId = idOf('send', 'secret');
  assert.ok(sendId);
  answer({ type: 'error', id: sendId, code: 'rate_limited', message: 'slow down' });
  const [pending] = Object.values(store.getState().pending);
  assert.equal(pending?.status, 'failed');
  assert.equal(pending?.error, 'rate_limited');
});
