import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { LIKE_EMOJI, type Message } from '@pockychat/protocol';
import { PostgresStore } from '../src/storage/postgres/postgres-store.ts';
import { ChatClient, api, guest } from './helpers/clients.ts';
import { createDatabase, startPostgres, type PostgresServer } from './helpers/services.ts';
import { startTestServer, type TestServer } from './helpers/test-server.ts';
import { upload, uploadsOf } from './helpers/uploads.ts';
import { waitFor } from './helpers/wait-for.ts';

/**
 * Edits, deletes, replies, reactions, mentions, request ids and changedSince
 * over real Primus sockets and HTTP, on SQLite and on PostgreSQL.
 */

type Backend = { name: string; start: () => Promise<{ server: TestServer; stop: () => Promise<void> }> };

const backends: Backend[] = [
  {
    name: 'SQLite',
    start: async () => {
      const server = await startTestServer();
      return { server, stop: () => server.close() };
    },
  },
  {
    name: 'PostgreSQL',
    start: async () => {
      const pg: PostgresServer = await startPostgres();
      const url = await createDatabase(pg, 'conversation');
      const server = await startTestServer({ openStore: () => PostgresStore.open(url) });
      return {
        server,
        stop: async () => {
          await server.close();
          await pg.stop('immediate');
        },
      };
    },
  },
];

for (const backend of backends) {
  describe(`conversation over sockets: ${backend.name}`, () => {
    let server: TestServer;
    let stop: () => Promise<void>;
    before(async () => {
      ({ server, stop } = await backend.start());
    });
    after(() => stop());

    /** Two users in a fresh private room of ann's, each with a connection. */
    async function pair(room: string) {
      const [ann, bob] = [await guest(server.url, 'Ann'), await guest(server.url, 'Bob')];
      const a = await ChatClient.connect(server.url, ann.token);
      const b = await ChatClient.connect(server.url, bob.token);
      await a.join(room, 'private');
      assert.equal(
        (
          await api(server.url, ann.token, `/rooms/${room}/invites`, {
            method: 'POST',
            body: JSON.stringify({ userId: bob.user.id }),
          })
        ).status < 300,
        true,
      );
      await b.join(room);
      let n = 0;
      const say = async (c: ChatClient, text: string, extra: object = {}) => {
        const clientId = `${room}-${++n}`;
        c.send({ type: 'send', room, clientId, text, ...extra });
        return (await c.next('ack', (f) => f.clientId === clientId)).message;
      };
      const close = () => {
        a.close();
        b.close();
      };
      return { ann, bob, a, b, say, close };
    }

    test('request ids: echoed on joined, ack, left and error (ref kept); ok once a change is stored', async () => {
      const ann = await guest(server.url, 'Ann');
      const a = await ChatClient.connect(server.url, ann.token);
      a.send({ type: 'join', id: 'j1', room: 'ids-room', visibility: 'public' });
      const joined = await a.next('joined', (f) => f.id === 'j1');
      assert.deepEqual(joined, { type: 'joined', id: 'j1', room: 'ids-room', lastSeq: 0, lastRev: 0, readSeq: 0 });
      a.send({ type: 'send', id: 's1', room: 'ids-room', clientId: 'c1', text: 'hi' });
      const ack = await a.next('ack', (f) => f.id === 's1');
      assert.equal(ack.message.rev, 1);
      a.send({ type: 'react', id: 'r1', room: 'ids-room', messageId: ack.message.id, emoji: '👍' });
      await a.next('ok', (f) => f.id === 'r1');
      const page = await api(server.url, ann.token, '/history?room=ids-room');
      assert.deepEqual(page.body.messages[0].reactions, { '👍': [ann.user.id] }, 'stored before ok');
      a.send({ type: 'typing', id: 't1', room: 'ids-room' });
      await a.next('ok', (f) => f.id === 't1');
      a.send({ type: 'edit', id: 'e1', room: 'ids-room', messageId: 'no-such-id', text: 'x' });
      const refused = await a.next('error', (f) => f.id === 'e1');
      assert.deepEqual([refused.code, refused.ref], ['not_found', 'ids-room']);
      a.send({ type: 'react', id: 'bad1', room: 'ids-room', messageId: ack.message.id, emoji: 'two words' });
      assert.equal(
        (await a.next('error', (f) => f.id === 'bad1')).code,
        'bad_request',
        'a bad frame echoes its id too',
      );
      a.send({ type: 'send', id: 's2', room: 'ids-room', clientId: 'c2', text: '' });
      assert.equal((await a.next('error', (f) => f.id === 's2')).ref, 'c2');
      a.send({ type: 'leave', id: 'l1', room: 'ids-room' });
      await a.next('left', (f) => f.id === 'l1');
      a.send({ type: 'send', room: 'lobby', clientId: 'c3', text: 'no id' });
      assert.equal('id' in (await a.next('error', (f) => f.ref === 'c3')), false, 'no id, none echoed');
      a.close();
    });

    test('edit: the author may (updated to the room); another user may not (forbidden)', async () => {
      const { a, b, say, close } = await pair('edit-room');
      const m = await say(a, 'first');
      a.send({ type: 'edit', id: 'e', room: 'edit-room', messageId: m.id, text: 'first, edited' });
      await a.next('ok', (f) => f.id === 'e');
      const updated = await b.next('updated');
      assert.equal(updated.message.text, 'first, edited');
      assert.ok(updated.message.editedAt && updated.message.rev > m.rev);
      b.send({ type: 'edit', id: 'e2', room: 'edit-room', messageId: m.id, text: 'hijacked' });
      assert.equal((await b.next('error', (f) => f.id === 'e2')).code, 'forbidden');
      b.send({ type: 'delete', id: 'd2', room: 'edit-room', messageId: m.id });
      assert.equal((await b.next('error', (f) => f.id === 'd2')).code, 'forbidden', 'nor delete it');
      close();
    });

    test("delete: the room's owner deletes another's message; a tombstone, no longer reactable", async () => {
      const { a, b, say, close } = await pair('del-room');
      const m = await say(b, 'regret');
      b.send({ type: 'react', id: 'r', room: 'del-room', messageId: m.id, emoji: LIKE_EMOJI });
      await b.next('ok');
      a.send({ type: 'delete', id: 'd', room: 'del-room', messageId: m.id });
      await a.next('ok', (f) => f.id === 'd');
      const gone = await b.next('updated', (f) => f.message.deleted === true);
      assert.deepEqual(
        [gone.message.text, gone.message.reactions, gone.message.likes, gone.message.seq],
        ['', {}, [], m.seq],
      );
      await b.next('likes', (f) => f.likes.length === 0);
      b.send({ type: 'react', id: 'r2', room: 'del-room', messageId: m.id, emoji: '👍' });
      assert.equal((await b.next('error', (f) => f.id === 'r2')).code, 'not_found');
      b.send({ type: 'edit', id: 'e2', room: 'del-room', messageId: m.id, text: 'back' });
      assert.equal((await b.next('error', (f) => f.id === 'e2')).code, 'not_found');
      close();
    });

    test("a deleted file's bytes go and its URL answers as for a file that never was", async () => {
      const { ann, a, close } = await pair('file-room');
      const sent = await upload(server.url, ann.token, 'file-room', 'bytes', {
        clientId: 'f1',
        name: 'a.txt',
        type: 'text/plain',
      });
      assert.equal(sent.status, 201);
      const message = sent.body.message as Message;
      const before = uploadsOf(server.dataDir).length;
      a.send({ type: 'delete', id: 'fd', room: 'file-room', messageId: message.id });
      await a.next('ok', (f) => f.id === 'fd');
      assert.equal(uploadsOf(server.dataDir).length, before - 1);
      const fetched = await fetch(`${server.url}${message.file!.url}`, {
        headers: { authorization: `Bearer ${ann.token}` },
      });
      const never = await fetch(`${server.url}/files/no-such-file`, {
        headers: { authorization: `Bearer ${ann.token}` },
      });
      assert.notEqual(fetched.status, 200);
      assert.equal(fetched.status, never.status);
      close();
    });

    test('like and react ❤️ are one: likes frame and updated both; reactions carry every emoji', async () => {
      const { ann, bob, a, b, say, close } = await pair('react-room');
      const m = await say(a, 'react to me');
      b.send({ type: 'like', id: 'l', room: 'react-room', messageId: m.id });
      await b.next('ok', (f) => f.id === 'l');
      assert.deepEqual((await a.next('likes')).likes, [bob.user.id]);
      assert.deepEqual((await a.next('updated')).message.reactions, { [LIKE_EMOJI]: [bob.user.id] });
      a.send({ type: 'react', id: 'p', room: 'react-room', messageId: m.id, emoji: '🎉' });
      await a.next('ok', (f) => f.id === 'p');
      b.send({ type: 'unreact', id: 'u', room: 'react-room', messageId: m.id, emoji: LIKE_EMOJI });
      await b.next('ok', (f) => f.id === 'u');
      const last = await waitFor(() =>
        a.of('updated').find((f) => f.message.likes.length === 0 && f.message.reactions['🎉']),
      );
      assert.deepEqual(last.message.reactions, { '🎉': [ann.user.id] });
      close();
    });

    test('replies quote the parent; a reply to a message of another room is refused; mentions keep members', async () => {
      const { ann, bob, a, b, say, close } = await pair('reply-room');
      const stranger = await guest(server.url, 'Zed');
      const parent = await say(a, 'question?');
      const reply = await say(b, 'answer', { replyTo: parent.id, mentions: [ann.user.id, stranger.user.id] });
      assert.deepEqual(reply.replyTo, { id: parent.id, seq: parent.seq, author: ann.user, text: 'question?' });
      assert.deepEqual(reply.mentions, [ann.user.id]);
      await a.join('reply-elsewhere', 'public');
      const other = await say(a, 'elsewhere', {});
      assert.equal(other.room, 'reply-room');
      const foreign = await (async () => {
        a.send({ type: 'send', room: 'reply-elsewhere', clientId: 'fx', text: 'over here' });
        return (await a.next('ack', (f) => f.clientId === 'fx')).message;
      })();
      b.send({ type: 'send', id: 'x', room: 'reply-room', clientId: 'rx', text: 'cross', replyTo: foreign.id });
      assert.equal((await b.next('error', (f) => f.id === 'x')).code, 'not_found');
      const history = await api(server.url, bob.token, '/history?room=reply-room');
      assert.equal(
        history.body.messages.some((m: Message) => m.text === 'cross'),
        false,
        'nothing stored',
      );
      close();
    });

    test('changedSince: from any rev, a client that applies the pages ends with the view of a full reload', async () => {
      const { ann, bob, a, b, say, close } = await pair('since-room');
      const ids: string[] = [];
      const checkpoints: Array<{ rev: number; view: Map<string, Message> }> = [];
      const reload = async () => {
        const page = await api(server.url, ann.token, '/history?room=since-room&limit=500');
        return new Map((page.body.messages as Message[]).map((m) => [m.id, m]));
      };
      const lastRev = async () =>
        (await api(server.url, ann.token, '/history?room=since-room&changedSince=0&limit=1')).body.lastRev as number;
      checkpoints.push({ rev: 0, view: new Map() });
      let step = 0;
      const change = async (c: ChatClient, frame: object) => {
        const id = `step-${++step}`;
        c.send({ ...frame, id, room: 'since-room' });
        await waitFor(() => c.frames.find((f) => (f.type === 'ok' || f.type === 'error') && f.id === id));
      };
      for (let i = 0; i < 24; i++) {
        const c = i % 2 === 0 ? a : b;
        const target = ids[(i * 7) % Math.max(ids.length, 1)];
        if (i % 3 === 0 || !target) ids.push((await say(c, `m${i}`)).id);
        else if (i % 3 === 1) await change(c, { type: 'react', messageId: target, emoji: ['👍', LIKE_EMOJI][i % 2] });
        else if (i % 5 === 2) await change(a, { type: 'delete', messageId: target });
        else await change(a, { type: 'edit', messageId: target, text: `edit ${i}` });
        // A checkpoint: what a client that had loaded everything now would hold, and the rev it stands at.
        const [view, rev] = [await reload(), await lastRev()];
        checkpoints.push({ rev, view });
      }
      const full = await reload();
      for (const { rev, view } of checkpoints) {
        const mine = new Map(view);
        let since = rev;
        for (let pages = 0; ; pages++) {
          assert.ok(pages < 50, 'the pages end');
          const answer = await api(server.url, bob.token, `/history?room=since-room&changedSince=${since}&limit=3`);
          const page = answer.body.messages as Message[];
          assert.equal(new Set(page.map((m) => m.id)).size, page.length, 'no message twice in a page');
          for (const m of page) mine.set(m.id, m);
          assert.ok(answer.body.lastRev >= since);
          if (page.length === 0) break;
          since = answer.body.lastRev;
        }
        assert.deepEqual(mine, full, `caught up from rev ${rev}`);
      }
      assert.equal((await api(server.url, ann.token, '/history?room=since-room&changedSince=1&since=2')).status, 400);
      close();
    });
  });
}
