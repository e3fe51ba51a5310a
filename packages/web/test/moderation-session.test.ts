import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ClientFrame, ServerFrame, User } from '@pockychat/protocol';
import { ApiError } from '../src/api/api-error.ts';
import type { ChatSocket, ChatSocketHandlers } from '../src/api/chat-socket.ts';
import type { FilesApi } from '../src/api/files-api.ts';
import type { HttpApi } from '../src/api/http-api.ts';
import type { SearchApi } from '../src/api/search-api.ts';
import type { RoomsApi } from '../src/api/rooms-api.ts';
import { ChatSession } from '../src/session/chat-session.ts';
import { roleChangesIn } from '../src/state/roles.ts';
import { createChatStore } from '../src/state/store.ts';

const me: User = { id: 'u1', name: 'Bea', kind: 'guest' };

/** A session on a recording socket (as in join-errors.test.ts); `signedIn` says what /me answers. */
async function session(signedIn = true) {
  const store = createChatStore();
  const sent: ClientFrame[] = [];
  let handlers: ChatSocketHandlers | undefined;
  let signedOut = 0;
  const http = {
    rooms: async () => [],
    history: async () => [],
    logout: async () => undefined,
    me: async () => {
      if (!signedIn) throw new ApiError(401, 'unauthenticated', 'sign in first');
      return me;
    },
  } as unknown as HttpApi;
  const rooms = { invites: async () => [] } as unknown as RoomsApi;
  const chat = new ChatSession(store, http, me, () => signedOut++, {
    files: {} as FilesApi,
    rooms,
    search: {} as SearchApi,
  });
  await chat.start(async (h) => {
    handlers = h;
    return { send: (frame: ClientFrame) => sent.push(frame), close: () => undefined } as unknown as ChatSocket;
  });
  handlers?.open();
  const idOf = (type: ClientFrame['type'], room: string) =>
    sent.findLast((frame) => frame.type === type && 'room' in frame && frame.room === room)?.id;
  return { chat, store, idOf, answer: (frame: ServerFrame) => handlers?.frame(frame), signedOut: () => signedOut };
}

test('banned: the room goes with a notice, and a join refused for a ban says so (not "private")', async (t) => {
  const { chat, store, idOf, answer } = await session();
  t.after(() => chat.stop());
  chat.joinRoom('town');
  answer({ type: 'joined', id: idOf('join', 'town'), room: 'town', lastSeq: 0, lastRev: 0 });
  answer({ type: 'left', room: 'town', reason: 'banned' });
  assert.equal(store.getState().rooms.town, undefined);
  assert.equal(store.getState().notice, 'You were banned from town.');
  chat.joinRoom('town');
  answer({ type: 'error', id: idOf('join', 'town'), code: 'forbidden', message: 'you are banned from town' });
  assert.equal(store.getState().rooms.town, undefined);
  assert.equal(store.getState().notice, 'Cannot join town: you are banned from town.');
});

test('a send refused while muted is marked failed and the notice says until when', async (t) => {
  const { chat, store, idOf, answer } = await session();
  t.after(() => chat.stop());
  answer({ type: 'joined', id: idOf('join', 'lobby'), room: 'lobby', lastSeq: 0, lastRev: 0 });
  chat.sendMessage('lobby', 'hello?');
  const why = 'you are muted in lobby until 2026-12-04T02:00:00.000Z';
  answer({ type: 'error', id: idOf('send', 'lobby'), code: 'forbidden', message: why });
  assert.equal(Object.values(store.getState().pending)[0]?.status, 'failed');
  assert.equal(store.getState().notice, why);
});

test('an unauthenticated error out of the blue (deactivated, signed out elsewhere) signs out once /me says so', async (t) => {
  const { chat, answer, signedOut } = await session(false);
  t.after(() => chat.stop());
  answer({ type: 'error', code: 'unauthenticated', message: 'signed out' });
  for (let i = 0; i < 100 && signedOut() === 0; i++) await new Promise((resolve) => setTimeout(resolve, 5));
  assert.equal(signedOut(), 1);
});

test('the same error while /me still works does not sign out', async (t) => {
  const { chat, answer, signedOut } = await session(true);
  t.after(() => chat.stop());
  answer({ type: 'error', code: 'unauthenticated', message: 'signed out' });
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.equal(signedOut(), 0);
});

test('a role frame counts a change of the caller’s role in that room, and only there', async (t) => {
  const { chat, store, idOf, answer } = await session();
  t.after(() => chat.stop());
  chat.joinRoom('town');
  answer({ type: 'joined', id: idOf('join', 'town'), room: 'town', lastSeq: 0, lastRev: 0 });
  assert.equal(roleChangesIn(store.getState(), 'town'), 0);
  answer({ type: 'role', room: 'town', role: 'moderator' });
  assert.deepEqual(store.getState().roleChanges, { town: { role: 'moderator', count: 1 } });
  answer({ type: 'role', room: 'town', role: 'member' });
  assert.deepEqual(store.getState().roleChanges.town, { role: 'member', count: 2 });
  assert.equal(roleChangesIn(store.getState(), 'lobby'), 0, 'another room is not touched');
  assert.equal(store.getState().rooms.town?.joined, true, 'the room stays as it was');
});
