import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { User } from '@pockychat/protocol';
import { Accounts } from '../../src/chat/accounts.ts';
import { Admins } from '../../src/chat/admin.ts';
import { ChatService } from '../../src/chat/chat-service.ts';
import { Identity } from '../../src/chat/identity.ts';
import { MUTE_CACHE_MS, Moderation } from '../../src/chat/moderation.ts';
import { SearchService } from '../../src/chat/search.ts';
import { MemoryStore } from '../../src/storage/memory/memory-store.ts';
import { PASSWORD } from '../helpers/accounts.ts';
import { FakeClock, NO_SUBSCRIPTION, RecordingFanout, textFrame } from './domain.ts';

/** The team's rules in the domain, on the in-memory store and a clock the test moves. */
function team(adminEmails: string[] = []) {
  const store = new MemoryStore();
  const fanout = new RecordingFanout();
  const clock = new FakeClock();
  const identity = new Identity({ store, clock, fanout });
  const admins = new Admins({ store: store.admins, users: store, identity, clock, adminEmails });
  const moderation = new Moderation({ bans: store.moderation, store, fanout, clock });
  const chat = new ChatService({ store, fanout, clock, rateLimit: { messages: 100, windowMs: 1000 }, moderation });
  const accounts = new Accounts({ store, identity, clock, admins });
  const join = (user: User, room: string, visibility?: 'public') => chat.join(user, room, visibility, NO_SUBSCRIPTION);
  return { store, clock, identity, admins, moderation, chat, accounts, join, fanout };
}

test('a mute refuses sends until it ends, then sends go through (test clock)', async () => {
  const { chat, moderation, clock, identity, join } = team();
  const owner = (await identity.createGuest('Owner')).user;
  const member = (await identity.createGuest('Member')).user;
  await join(owner, 'quiet', 'public');
  await join(member, 'quiet');
  const until = await moderation.mute(owner, 'quiet', member.id, 10);
  assert.equal(until, new Date(clock.now() + 10 * 60_000).toISOString());
  await assert.rejects(chat.send(member, textFrame('quiet')), { code: 'forbidden', message: /muted in quiet until/ });
  await chat.send(owner, textFrame('quiet'));
  clock.advance(10 * 60_000 - 1);
  await assert.rejects(chat.send(member, textFrame('quiet')), { code: 'forbidden' });
  clock.advance(1);
  const ack = await chat.send(member, textFrame('quiet', 'free again'));
  assert.equal(ack.message.text, 'free again');
});

test('the mute of another room does not silence the user here', async () => {
  const { chat, moderation, identity, join } = team();
  const owner = (await identity.createGuest('Owner')).user;
  const member = (await identity.createGuest('Member')).user;
  await join(owner, 'one', 'public');
  await join(owner, 'two', 'public');
  await join(member, 'one');
  await join(member, 'two');
  await moderation.mute(owner, 'one', member.id, 60);
  await assert.rejects(chat.send(member, textFrame('one')), { code: 'forbidden' });
  assert.equal((await chat.send(member, textFrame('two'))).message.room, 'two');
});

test('a banned user’s send is refused even where its unsubscribe has not arrived; one by another node within MUTE_CACHE_MS; unbanned, it speaks again', async () => {
  const { chat, moderation, clock, identity, join, store, fanout } = team();
  const owner = (await identity.createGuest('Owner')).user;
  const member = (await identity.createGuest('Member')).user;
  await join(owner, 'gated', 'public');
  await join(member, 'gated');
  await chat.send(member, textFrame('gated', 'before'));
  await moderation.ban(owner, 'gated', member.id);
  await assert.rejects(chat.send(member, textFrame('gated')), { code: 'forbidden', message: /banned from gated/ });
  const [left] = fanout.take().filter((d) => d.to === 'user');
  assert.match((left as { id?: string }).id ?? '', /^d:/, 'the ban’s delivery has an id of its own');
  await moderation.unban(owner, 'gated', member.id);
  await join(member, 'gated');
  await chat.send(member, textFrame('gated', 'back'));
  // A ban made on another node (straight in the store here) is read with the mutes, within MUTE_CACHE_MS.
  await store.moderation.addBan('gated', member.id, owner.id, new Date(clock.now()).toISOString());
  await chat.send(member, textFrame('gated', 'cached'));
  clock.advance(MUTE_CACHE_MS);
  await assert.rejects(chat.send(member, textFrame('gated')), { code: 'forbidden', message: /banned/ });
});

test('two first registrations at once: exactly one becomes the admin', async () => {
  const { accounts } = team();
  const [a, b] = await Promise.all([
    accounts.register({ email: 'a@example.test', password: PASSWORD, name: 'A' }, undefined),
    accounts.register({ email: 'b@example.test', password: PASSWORD, name: 'B' }, undefined),
  ]);
  assert.equal([a.user.admin, b.user.admin].filter(Boolean).length, 1);
});

test('a guest is never the first admin; the account registered after it is', async () => {
  const { accounts, identity, store } = team();
  const early = await identity.createGuest('Early');
  const account = await accounts.register({ email: 'c@example.test', password: PASSWORD, name: 'C' }, undefined);
  assert.equal(account.user.admin, true);
  assert.equal((await store.findUser(early.user.id))?.admin, undefined);
});

test('ADMIN_EMAILS: listed accounts are admins, at registration and at start for those made before; others not', async () => {
  const { accounts, admins, store } = team(['late@example.test', 'before@example.test']);
  await accounts.register({ email: 'first@example.test', password: PASSWORD, name: 'First' }, undefined);
  const late = await accounts.register({ email: 'late@example.test', password: PASSWORD, name: 'Late' }, undefined);
  assert.equal(late.user.admin, true, 'listed at registration');
  const other = await accounts.register({ email: 'other@example.test', password: PASSWORD, name: 'O' }, undefined);
  assert.equal(other.user.admin, undefined);
  const made = { id: 'before', name: 'Before', kind: 'email' as const, createdAt: '2026-01-01T00:00:00.000Z' };
  await store.createUser({ ...made, email: 'before@example.test', passwordHash: 'x' });
  assert.equal((await store.findUser('before'))?.admin, undefined, 'made behind the domain’s back');
  await admins.start();
  assert.equal((await store.findUser('before'))?.admin, true, 'made an admin at start');
  assert.equal((await store.findUser(other.user.id))?.admin, undefined);
});

test('a moderator’s delete of another’s message is in the audit log; an author’s own delete is not', async () => {
  const { chat, moderation, identity, join } = team();
  const owner = (await identity.createGuest('Owner')).user;
  const mod = (await identity.createGuest('Mod')).user;
  const member = (await identity.createGuest('Member')).user;
  await join(owner, 'audited', 'public');
  await join(mod, 'audited');
  await join(member, 'audited');
  await moderation.setModerator(owner, 'audited', mod.id, true);
  const spam = await chat.send(member, textFrame('audited', 'spam'));
  const own = await chat.send(member, textFrame('audited', 'mine'));
  await chat.delete(mod, 'audited', spam.message.id);
  await chat.delete(member, 'audited', own.message.id);
  const log = await moderation.auditLog(owner, 'audited', undefined, undefined);
  assert.deepEqual(
    log.rows.map((e) => [e.action, e.actor.id, e.messageId]),
    [
      ['message_deleted', mod.id, spam.message.id],
      ['moderator_added', owner.id, undefined],
    ],
  );
  await assert.rejects(moderation.auditLog(mod, 'audited', undefined, undefined), { code: 'forbidden' });
});

test('a ban that lands while a join is under way ends it: the join is refused, unsubscribed, not a member', async () => {
  const { chat, moderation, identity, join, store } = team();
  const owner = (await identity.createGuest('Owner')).user;
  const member = (await identity.createGuest('Member')).user;
  await join(owner, 'open', 'public');
  const subscribed: string[] = [];
  const racing = chat.join(member, 'open', undefined, {
    // The ban is stored between the join's first check and its subscription.
    subscribe: async () => {
      subscribed.push('subscribe');
      await moderation.ban(owner, 'open', member.id);
    },
    unsubscribe: async () => void subscribed.push('unsubscribe'),
  });
  await assert.rejects(racing, { code: 'forbidden', message: /banned/ });
  assert.deepEqual(subscribed, ['subscribe', 'unsubscribe']);
  assert.equal(await store.isMember('open', member.id), false);
});

test('a banned user may not read a public room, react in it, or find its messages; unbanned, it may again', async () => {
  const { chat, moderation, identity, join, store } = team();
  const search = new SearchService(store);
  const owner = (await identity.createGuest('Owner')).user;
  const member = (await identity.createGuest('Member')).user;
  await join(owner, 'open', 'public');
  await join(member, 'open');
  const { message } = await chat.send(owner, textFrame('open', 'kumquat harvest'));
  await moderation.ban(owner, 'open', member.id);
  await assert.rejects(chat.history(member, { room: 'open', since: { seq: 0 } }), {
    code: 'forbidden',
    message: /banned/,
  });
  await assert.rejects(chat.react(member, 'open', message.id, '👍', true), { code: 'forbidden' });
  assert.deepEqual(await search.search(member, { q: 'kumquat' }), []);
  await assert.rejects(search.search(member, { q: 'kumquat', room: 'open' }), { code: 'forbidden' });
  await moderation.unban(owner, 'open', member.id);
  assert.equal((await chat.history(member, { room: 'open', since: { seq: 0 } })).messages.length, 1);
  assert.deepEqual(
    (await search.search(member, { q: 'kumquat' })).map((m) => m.id),
    [message.id],
  );
});

test('a join whose ban re-check fails keeps the membership (only a ban found undoes it), and is unsubscribed', async () => {
  const { chat, identity, join, store } = team();
  const owner = (await identity.createGuest('Owner')).user;
  const member = (await identity.createGuest('Member')).user;
  await join(owner, 'secret');
  await store.addMember('secret', member.id, 'member', new Date().toISOString());
  const isBanned = store.moderation.isBanned.bind(store.moderation);
  let reads = 0;
  store.moderation.isBanned = async (room, userId) => {
    if (userId === member.id && ++reads === 2) throw new Error('pool timeout');
    return isBanned(room, userId);
  };
  const calls: string[] = [];
  const joining = chat.join(member, 'secret', undefined, {
    subscribe: async () => void calls.push('subscribe'),
    unsubscribe: async () => void calls.push('unsubscribe'),
  });
  await assert.rejects(joining, /pool timeout/);
  assert.deepEqual(calls, ['subscribe', 'unsubscribe']);
  assert.equal(await store.isMember('secret', member.id), true);
});

test('a member of a private room who is banned (a race left the membership) reads nothing of it', async () => {
  const { chat, identity, join, store } = team();
  const owner = (await identity.createGuest('Owner')).user;
  const member = (await identity.createGuest('Member')).user;
  await join(owner, 'secret');
  await store.moderation.addBan('secret', member.id, owner.id, new Date().toISOString());
  await store.addMember('secret', member.id, 'member', new Date().toISOString());
  await assert.rejects(chat.history(member, { room: 'secret', since: { seq: 0 } }), {
    code: 'forbidden',
    message: /banned/,
  });
  assert.ok(!(await chat.rooms(member)).some((r) => r.name === 'secret'), 'GET /rooms leaves it out');
});
