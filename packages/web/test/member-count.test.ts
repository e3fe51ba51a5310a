import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ClientFrame, Message, RoomSummary, ServerFrame, User } from '@pockychat/protocol';
import type { ChatSocket, ChatSocketHandlers } from '../src/api/chat-socket.ts';
import type { FilesApi } from '../src/api/files-api.ts';
import type { SearchApi } from '../src/api/search-api.ts';
import type { HttpApi } from '../src/api/http-api.ts';
import type { RoomsApi } from '../src/api/rooms-api.ts';
import { ChatSession } from '../src/session/chat-session.ts';
import { coalesced } from '../src/session/coalesced.ts';
import { createChatStore } from '../src/state/store.ts';
import { waitFor } from '../../server/test/helpers/wait-for.ts';

const ann: User = { id: 'u-ann', name: 'Ann', kind: 'guest' };
const bob: User = { id: 'u-bob', name: 'Bob', kind: 'guest' };
const cy: User = { id: 'u-cy', name: 'Cy', kind: 'guest' };

/** Ann's session, with a directory whose lobby count the test sets, and a count of how often it was read. */
async function annsSession(lobbyMembers: { count: number }) {
  const store = createChatStore();
  let handlers: ChatSocketHandlers | undefined;
  let reads = 0;
  const lobby = (): RoomSummary => ({ name: 'lobby', visibility: 'public', members: lobbyMembers.count, member: true });
  const http = {
    rooms: async () => {
      reads++;
      return [lobby()];
    },
    history: async () => [],
  } as unknown as HttpApi;
  const rooms = { invites: async () => [] } as unknown as RoomsApi;
  const chat = new ChatSession(store, http, ann, () => undefined, {
    files: {} as FilesApi,
    rooms,
    search: {} as SearchApi,
  });
  await chat.start(async (h) => {
    handlers = h;
    return { send: (_: ClientFrame) => true, close: () => undefined } as unknown as ChatSocket;
  });
  handlers?.open();
  handlers?.frame({ type: 'joined', room: 'lobby', lastSeq: 0, lastRev: 0 });
  const shown = () => store.getState().directory.lobby?.members;
  // Settles the reads that opening and joining start (the promise covers a folded extra pass).
  await chat.refreshDirectory();
  let seq = 0;
  const message = (author: User): ServerFrame => {
    seq++;
    const m: Message = {
      id: `m${seq}`,
      room: 'lobby',
      seq,
      rev: seq,
      author,
      text: 'hi',
      date: new Date().toISOString(),
      likes: [],
      mentions: [],
      reactions: {},
    };
    return { type: 'message', message: m };
  };
  return { chat, shown, reads: () => reads, play: (frame: ServerFrame) => handlers?.frame(frame), message };
}

test('the member count catches up when someone it does not count posts or types', async (t) => {
  const lobby = { count: 1 };
  const session = await annsSession(lobby);
  t.after(() => session.chat.stop());
  assert.equal(session.shown(), 1);

  // Bob joined (the server says nothing of it) and posts: two people are in the room.
  lobby.count = 2;
  session.play(session.message(bob));
  await waitFor(() => session.shown() === 2, { what: 'the count to follow Bob' });

  // Cy only types.
  lobby.count = 3;
  session.play({ type: 'typing', room: 'lobby', user: cy });
  await waitFor(() => session.shown() === 3, { what: 'the count to follow Cy' });
});

test('people already counted cost no directory reads, however much they post', async (t) => {
  const lobby = { count: 2 };
  const session = await annsSession(lobby);
  t.after(() => session.chat.stop());
  const before = session.reads();
  for (let i = 0; i < 5; i++) session.play(session.message(bob));
  session.play(session.message(ann));
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(session.reads(), before);
});

test('calls during a run fold into one more run, never two at once', async () => {
  let running = 0;
  let most = 0;
  let runs = 0;
  const release: Array<() => void> = [];
  const refresh = coalesced(async () => {
    runs++;
    most = Math.max(most, ++running);
    await new Promise<void>((resolve) => release.push(resolve));
    running--;
  });
  const first = refresh();
  const second = refresh();
  void refresh();
  release.shift()?.();
  await waitFor(() => release.length === 1);
  release.shift()?.();
  await Promise.all([first, second]);
  assert.deepEqual({ runs, most }, { runs: 2, most: 1 });
});
