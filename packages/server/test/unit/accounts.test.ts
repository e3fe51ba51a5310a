import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { limits } from '@pockychat/protocol';
import { displayNameOf } from '../../src/chat/accounts.ts';
import { domain, textFrame } from './domain.ts';

const password = 'correct horse battery';

describe('Accounts on the memory store', () => {
  test('register makes an email account with a working token; a taken email is refused', async () => {
    const d = domain();
    const signed = await d.accounts.register({ name: 'ann', email: 'ann@example.com', password }, undefined);
    assert.equal(signed.user.kind, 'email');
    assert.deepEqual(await d.identity.authenticate(signed.token), signed.user);
    await assert.rejects(d.accounts.register({ name: 'other', email: 'ann@example.com', password }, undefined), {
      code: 'bad_request',
    });
  });

  test('a guest who registers is upgraded in place: same id and rooms; its old tokens end; pending invites claimed', async () => {
    const d = domain();
    const { user: guest, token: guestToken } = await d.identity.createGuest('gus');
    const owner = await d.guest('own');
    await d.join(owner, 'shut');
    await d.admin.invite(owner, 'shut', { email: 'gus@example.com' });
    await d.join(guest, 'mine');
    const signed = await d.accounts.register({ name: 'gus', email: 'gus@example.com', password }, guest);
    assert.deepEqual(signed.user, { id: guest.id, name: 'gus', kind: 'email' });
    assert.equal(signed.mergedGuestId, undefined);
    assert.equal(await d.store.memberRole('mine', guest.id), 'owner');
    assert.equal(await d.identity.authenticate(guestToken), undefined, 'the guest token no longer opens the account');
    assert.deepEqual(await d.identity.authenticate(signed.token), signed.user);
    assert.deepEqual(await d.admin.invites(signed.user), [{ room: 'shut', by: owner }]);
  });

  test('login: the right password signs in; a wrong one and an unknown email get the same refusal', async () => {
    const d = domain();
    const { user } = await d.accounts.register({ name: 'ann', email: 'ann@example.com', password }, undefined);
    assert.deepEqual((await d.accounts.login({ email: 'ann@example.com', password }, undefined)).user, user);
    await assert.rejects(d.accounts.login({ email: 'ann@example.com', password: 'wrong password!' }, undefined), {
      code: 'bad_credentials',
    });
    await assert.rejects(d.accounts.login({ email: 'nobody@example.com', password }, undefined), {
      code: 'bad_credentials',
    });
  });

  test('a guest who logs in is merged into the account: its rooms and messages move, the guest is gone', async () => {
    const d = domain();
    const { user: account } = await d.accounts.register({ name: 'ann', email: 'ann@example.com', password }, undefined);
    const guest = await d.guest('gus');
    await d.join(guest, 'guest-room');
    const { message } = await d.chat.send(guest, textFrame('guest-room'));
    const signed = await d.accounts.login({ email: 'ann@example.com', password }, guest);
    assert.equal(signed.mergedGuestId, guest.id);
    assert.deepEqual(signed.user, account);
    assert.equal(await d.store.findUser(guest.id), undefined);
    assert.equal(await d.store.memberRole('guest-room', account.id), 'owner');
    assert.deepEqual((await d.store.findMessage('guest-room', message.id))?.author, account);
  });

  test('logging in as the account one already is merges nothing', async () => {
    const d = domain();
    const { user } = await d.accounts.register({ name: 'ann', email: 'ann@example.com', password }, undefined);
    const signed = await d.accounts.login({ email: 'ann@example.com', password }, user);
    assert.equal(signed.mergedGuestId, undefined);
    assert.deepEqual(await d.store.findUser(user.id), user);
  });

  test('Facebook: a new profile is a new account (or the guest upgraded); a known one signs in and merges the guest', async () => {
    const d = domain();
    const first = await d.accounts.facebook({ id: 'fb-1', name: '  Ann  ' }, undefined);
    assert.deepEqual(first.user, { id: first.user.id, name: 'Ann', kind: 'facebook' });
    const guest = await d.guest('gus');
    const upgraded = await d.accounts.facebook({ id: 'fb-2', name: 'Gus' }, guest);
    assert.equal(upgraded.user.id, guest.id);
    const other = await d.guest('tom');
    const again = await d.accounts.facebook({ id: 'fb-1', name: 'renamed' }, other);
    assert.deepEqual(again.user, first.user, 'the stored name stays');
    assert.equal(again.mergedGuestId, other.id);
  });

  test('a provider name is held to the display-name rules', () => {
    assert.equal(displayNameOf('\u0000 \u0000'), 'Facebook user');
    const long = displayNameOf('😀'.repeat(limits.maxNameChars));
    assert.ok(long.length <= limits.maxNameChars && long.length % 2 === 0, 'never half a surrogate pair');
    assert.equal(displayNameOf('a\uD800b'), 'a\uFFFDb');
  });
});
