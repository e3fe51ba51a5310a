import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Message, User } from '@pockychat/protocol';
import type { Store } from '../src/chat/ports/store.ts';
import type { LiveIndexingOptions } from '../src/transport/search-live-indexing.ts';
import { api, guest } from './helpers/clients.ts';
import { startTestServer, type TestServer } from './helpers/test-server.ts';

interface CorpusMessage {
  key: string;
  room: 'pub' | 'priv';
  text: string;
}

const corpus = JSON.parse(readFileSync(path.join(import.meta.dirname, 'fixtures/search-corpus.json'), 'utf8')) as {
  messages: CorpusMessage[];
};

/**
 * GET /search's contract (PROTOCOL.md "Search"), on a real server over
 * HTTP, with the fixed corpus of fixtures/search-corpus.json stored through
 * the store's own appendMessage (the path every send takes), on whichever
 * store `open` gives: SQLite, PostgreSQL, memory.
 */
export interface SearchContractOptions {
  /** The live indexer's settings (e.g. paused, so that every message stays pending). */
  searchIndexing?: Partial<LiveIndexingOptions>;
  /** Run once the messages are stored, before the edit and the delete (e.g. index them all). */
  afterAppend?: (server: TestServer) => Promise<void>;
}

export function runSearchContract(name: string, open: () => Promise<Store>, options: SearchContractOptions = {}): void {
  describe(`search contract: ${name}`, () => {
    let server: TestServer;
    let store: Store;
    let ann: { token: string; user: User };
    let bob: { token: string; user: User };
    const ids = new Map<string, string>();
    const keyOf = new Map<string, string>();
    const rooms = { pub: `pub-${Date.now()}`, priv: `priv-${Date.now()}` };

    before(async () => {
      server = await startTestServer({
        openStore: async () => (store = await open()),
        ...(options.searchIndexing && { searchIndexing: options.searchIndexing }),
      });
      ann = await guest(server.url, 'Ann');
      bob = await guest(server.url, 'Bob');
      const createdAt = new Date().toISOString();
      await store.ensureRoom({ name: rooms.pub, visibility: 'public', ownerId: ann.user.id, createdAt });
      await store.ensureRoom({ name: rooms.priv, visibility: 'private', ownerId: ann.user.id, createdAt });
      await store.addMember(rooms.pub, ann.user.id, 'owner', createdAt);
      await store.addMember(rooms.priv, ann.user.id, 'owner', createdAt);
      let n = 0;
      for (const message of corpus.messages) {
        n++;
        const id = `${name.toLowerCase().replace(/\W/g, '')}-${message.key}`;
        await store.appendMessage({
          id,
          room: rooms[message.room],
          author: ann.user,
          text: message.text,
          date: new Date(Date.parse(createdAt) + n * 1000).toISOString(),
          clientId: `c-${message.key}`,
          clientDate: undefined,
        });
        ids.set(message.key, id);
        keyOf.set(id, message.key);
      }
      // More matches than the default limit.
      for (let i = 1; i <= 25; i++) {
        await store.appendMessage({
          id: `${name.toLowerCase().replace(/\W/g, '')}-filler-${i}`,
          room: rooms.pub,
          author: ann.user,
          text: `filler note number ${i}`,
          date: new Date(Date.parse(createdAt) + (n + i) * 1000).toISOString(),
          clientId: `c-filler-${i}`,
          clientDate: undefined,
        });
      }
      await options.afterAppend?.(server);
      await store.changeMessage(rooms.pub, ids.get('edit-me') as string, {
        kind: 'edit',
        text: 'the new wording is mango',
        editedAt: new Date().toISOString(),
      });
      await store.changeMessage(rooms.pub, ids.get('delete-me') as string, { kind: 'delete' });
    });
    after(() => server.close());

    async function search(
      q: string,
      as = ann,
      extra = '',
    ): Promise<{ status: number; keys: string[]; messages: Message[] }> {
      const { status, body } = await api(server.url, as.token, `/search?q=${encodeURIComponent(q)}${extra}`);
      const messages = (status === 200 ? (body as { messages: Message[] }).messages : []) ?? [];
      return { status, messages, keys: messages.map((m) => keyOf.get(m.id) ?? m.id) };
    }
    const found = async (q: string, as = ann) => (await search(q, as)).keys;

    test('search-1 a word matches by prefix, and a prefix match ranks above a match inside a word', async () => {
      assert.deepEqual(await found('deplo'), ['en-deploy', 'en-redeploy']);
      assert.deepEqual(await found('deployment'), ['en-deploy', 'en-redeploy']);
      assert.deepEqual(await found('deployments'), []);
    });

    test('search-2 "quoted words" match as a phrase; unquoted words each anywhere', async () => {
      assert.deepEqual(await found('"review the release"'), ['en-phrase']);
      assert.deepEqual((await found('review release')).sort(), ['en-phrase', 'en-scrambled']);
      assert.deepEqual(await found('"release review"'), []);
    });

    test('search-3 case does not matter, in the text or the query', async () => {
      assert.deepEqual(await found('kubernetes scheduled'), ['en-case']);
      assert.deepEqual(await found('Kubernetes'), ['en-case']);
      assert.deepEqual(await found('PRIVET'), []);
      assert.deepEqual(await found('ПРИВЕТ'), ['ru-1']);
      assert.deepEqual(await found('москве'), ['ru-1']);
    });

    test('search-4 accents do not matter: café and cafe find each other', async () => {
      assert.deepEqual((await found('cafe')).sort(), ['fr-accents', 'fr-plain']);
      assert.deepEqual((await found('Café')).sort(), ['fr-accents', 'fr-plain']);
      assert.deepEqual(await found('deja ferme'), ['fr-accents']);
      assert.deepEqual(await found('noel'), ['fr-accents']);
      assert.deepEqual(await found('muller'), ['de-umlaut']);
      assert.deepEqual(await found('MÜLLER größe'), ['de-umlaut']);
      assert.deepEqual(await found('ubersteigt'), ['de-umlaut']);
    });

    test('search-5 Chinese and Japanese are found without spaces, words of two characters too', async () => {
      assert.deepEqual(await found('数据库'), ['zh-1']);
      assert.deepEqual(await found('北京'), ['zh-1']);
      assert.deepEqual(await found('天气'), ['zh-2']);
      assert.deepEqual(await found('北京 迁移'), ['zh-1']);
      assert.deepEqual(await found('東京駅'), ['ja-1']);
      assert.deepEqual(await found('東京'), ['ja-1']);
      assert.deepEqual(await found('バックアップ'), ['ja-kana']);
      assert.deepEqual(await found('"データベースの"'), ['ja-kana']);
      assert.deepEqual(await found('上海 北京'), []);
    });

    test('search-6 URLs, email addresses and code are found whole or in part', async () => {
      assert.deepEqual(await found('https://example.com/docs/search?q=fts5'), ['url']);
      assert.deepEqual(await found('example.com/docs'), ['url']);
      assert.deepEqual(await found('ops-team@example.org'), ['email']);
      assert.deepEqual(await found('ops-team'), ['email']);
      assert.deepEqual(await found('fetchMessages(roomId,'), ['code']);
      assert.deepEqual(await found('render_list()'), ['code']);
      assert.deepEqual(await found('render%list'), []);
      assert.deepEqual(await found('example'), ['email', 'url']);
    });

    test('search-7 a deleted message is never found', async () => {
      assert.deepEqual(await found('tangerines'), []);
      assert.deepEqual(await found('deleted'), []);
    });

    test('search-8 an edited message is found by its new text only', async () => {
      assert.deepEqual(await found('pineapple'), []);
      assert.deepEqual(await found('original wording'), []);
      const { keys, messages } = await search('mango');
      assert.deepEqual(keys, ['edit-me']);
      assert.equal(messages[0]?.text, 'the new wording is mango');
      assert.ok(messages[0]?.editedAt);
    });

    test('search-9 relevance first (a whole word before a prefix, though older), then the newest first', async () => {
      assert.deepEqual(await found('avocado'), ['rank-whole', 'rank-long']);
      assert.deepEqual(await found('marmalade toast'), ['rank-new', 'rank-old']);
    });

    test('search-10 limit: at most limit messages, 20 by default, at most 100', async () => {
      const all = await search('filler', ann, '&limit=100');
      assert.equal(all.status, 200);
      assert.equal(all.messages.length, 25);
      const three = await search('filler', ann, '&limit=3');
      assert.deepEqual(
        three.messages.map((m) => m.text),
        ['filler note number 25', 'filler note number 24', 'filler note number 23'],
      );
      assert.equal((await search('filler')).messages.length, 20);
      assert.equal((await search('e', ann, '&limit=101')).status, 400);
      assert.equal((await search('e', ann, '&limit=0')).status, 400);
      assert.equal((await search('e', ann, '&limit=x')).status, 400);
    });

    test('search-11 an empty, blank, wordless or over-long q is bad_request', async () => {
      for (const q of ['', '   ', '""', 'x'.repeat(201)]) {
        const { status, body } = await api(server.url, ann.token, `/search?q=${encodeURIComponent(q)}`);
        assert.equal(status, 400, JSON.stringify(q));
        assert.equal((body as { error: { code: string } }).error.code, 'bad_request');
      }
      assert.equal((await api(server.url, ann.token, '/search')).status, 400);
      assert.equal((await search('x'.repeat(200))).status, 200);
      assert.equal((await api(server.url, undefined, '/search?q=cafe')).status, 401);
    });

    test('search-12 a private room is searched by its members only; public rooms by everyone', async () => {
      assert.deepEqual(await found('zanzibar'), ['priv-secret']);
      assert.deepEqual(await found('zanzibar', bob), []);
      assert.deepEqual(await found('kubernetes', bob), ['en-case'], 'a public room, Bob not a member');
    });

    test('search-13 room= narrows to one room; a room the caller may not read is 403', async () => {
      assert.deepEqual((await search('the', ann, `&room=${rooms.priv}`)).keys, ['priv-secret']);
      assert.ok((await search('the', ann, `&room=${rooms.pub}`)).keys.every((key) => key !== 'priv-secret'));
      assert.equal((await search('zanzibar', bob, `&room=${rooms.priv}`)).status, 403);
      assert.equal((await search('zanzibar', bob, '&room=no-such-room')).status, 403);
      assert.equal((await search('zanzibar', ann, '&room=no-such-room')).status, 403);
    });

    test('search-14 a member removed from a private room finds nothing there right after, and again once back', async () => {
      const createdAt = new Date().toISOString();
      await store.addMember(rooms.priv, bob.user.id, 'member', createdAt);
      assert.deepEqual(await found('zanzibar', bob), ['priv-secret']);
      assert.equal((await search('zanzibar', bob, `&room=${rooms.priv}`)).status, 200);
      await store.removeMember(rooms.priv, bob.user.id);
      assert.deepEqual(await found('zanzibar', bob), []);
      assert.equal((await search('zanzibar', bob, `&room=${rooms.priv}`)).status, 403);
    });
  });
}
