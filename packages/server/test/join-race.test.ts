import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Store } from '../src/chat/ports/store.ts';
import { ChatClient, api, guest } from './helpers/clients.ts';
import { startTestServer, type TestServer } from './helpers/test-server.ts';

/**
 * A ban that lands while a join is finishing (after the join checked for
 * bans, before it answered): the connection hears `left` and then an error
 * for its join, never `joined` after its `left`.
 */
let server: TestServer;
/** readSeq is the join's last read: holding it holds the join after its ban re-check. */
let held: { userId: string; reached: () => void; release: Promise<void> } | undefined;

function holdingReadSeq(store: Store): Store {
  return new Proxy(store, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver);
      if (key !== 'readSeq') return typeof value === 'function' ? value.bind(target) : value;
      return async (userId: string, room: string) => {
        const hold = held?.userId === userId ? held : undefined;
        if (hold) {
          hold.reached();
          await hold.release;
        }
        return target.readSeq(userId, room);
      };
    },
  });
}

before(async () => {
  server = await startTestServer({ wrapStore: holdingReadSeq });
});
after(() => server.close());

test('a ban delivered while a join finishes: left, then the join refused, and no send goes through', async () => {
  const owner = await guest(server.url, 'Owner');
  const member = await guest(server.url, 'Member');
  const o = await ChatClient.connect(server.url, owner.token);
  await o.join('racing', 'public');
  const m = await ChatClient.connect(server.url, member.token);

  let reached!: () => void;
  let release!: () => void;
  const atReadSeq = new Promise<void>((resolve) => (reached = resolve));
  held = { userId: member.user.id, reached, release: new Promise((resolve) => (release = resolve)) };
  m.send({ type: 'join', id: 'j1', room: 'racing' });
  await atReadSeq;
  const ban = await api(server.url, owner.token, '/rooms/racing/bans', {
    method: 'POST',
    body: JSON.stringify({ userId: member.user.id }),
  });
  assert.equal(ban.status, 201);
  assert.equal((await m.next('left', (f) => f.room === 'racing')).reason, 'banned');
  held = undefined;
  release();

  const refused = await m.next('error', (f) => f.id === 'j1');
  assert.equal(refused.code, 'forbidden');
  assert.equal(m.of('joined').length, 0, 'no joined after the left');
  m.send({ type: 'send', id: 's1', room: 'racing', clientId: 'after', text: 'still here?' });
  assert.equal((await m.next('error', (f) => f.id === 's1')).code, 'forbidden');
  m.close();
  o.close();
});
