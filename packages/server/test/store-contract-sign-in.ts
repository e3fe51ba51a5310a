import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Store } from '../src/chat/ports/store.ts';

/**
 * The store contract's rules for password reset tokens and OpenID Connect
 * identities (SignInStore), registered inside runStoreContract's suite.
 */
export function signInRules(store: () => Store): void {
  const now = '2026-01-01T00:00:00.000Z';
  const hourLater = '2026-01-01T01:00:00.000Z';
  const account = (id: string) =>
    store().createUser({
      id,
      name: id,
      kind: 'email',
      createdAt: now,
      email: `${id}@example.test`,
      passwordHash: `old-${id}`,
    });
  const token = (tokenHash: string, userId: string, expiresAt = hourLater) =>
    store().saveResetToken({ tokenHash, userId, createdAt: now, expiresAt });

  test('P1 a reset token sets the password once; a second use finds nothing', async () => {
    await account('p1');
    await token('p1-token', 'p1');
    assert.equal(await store().resetPassword('p1-token', 'new-p1', now), 'p1');
    assert.equal((await store().findUserByEmail('p1@example.test'))?.passwordHash, 'new-p1');
    assert.equal(await store().resetPassword('p1-token', 'newer-p1', now), undefined);
    assert.equal((await store().findUserByEmail('p1@example.test'))?.passwordHash, 'new-p1');
  });

  test('P2 an expired or unknown token sets nothing, and the expired one is gone', async () => {
    await account('p2');
    await token('p2-token', 'p2');
    assert.equal(await store().resetPassword('p2-token', 'new-p2', hourLater), undefined, 'expiry is exclusive');
    assert.equal(await store().resetPassword('p2-unknown', 'new-p2', now), undefined);
    assert.equal((await store().findUserByEmail('p2@example.test'))?.passwordHash, 'old-p2');
    assert.equal(await store().resetPassword('p2-token', 'new-p2', now), undefined, 'an expired token was spent');
  });

  test("P3 a reset ends the user's other tokens, not another user's", async () => {
    await account('p3');
    await account('p3b');
    await token('p3-one', 'p3');
    await token('p3-two', 'p3');
    await token('p3b-one', 'p3b');
    assert.equal(await store().resetPassword('p3-two', 'new-p3', now), 'p3');
    assert.equal(await store().resetPassword('p3-one', 'newer-p3', now), undefined);
    assert.equal(await store().resetPassword('p3b-one', 'new-p3b', now), 'p3b');
  });

  test("P5 the user's unspent tokens made since a date are counted; spent ones and other users' are not", async () => {
    await account('p5');
    await account('p5b');
    const at = (createdAt: string, tokenHash: string, userId = 'p5') =>
      store().saveResetToken({ tokenHash, userId, createdAt, expiresAt: '2027-01-01T00:00:00.000Z' });
    await at('2026-01-01T00:00:00.000Z', 'p5-old');
    await at('2026-01-01T00:30:00.000Z', 'p5-half');
    await at('2026-01-01T00:45:00.000Z', 'p5-late');
    await at('2026-01-01T00:45:00.000Z', 'p5b-late', 'p5b');
    assert.equal(await store().countResetTokensSince('p5', '2026-01-01T00:30:00.000Z'), 2, 'from `since` on');
    assert.equal(await store().countResetTokensSince('p5', '2025-12-31T00:00:00.000Z'), 3);
    assert.equal(await store().countResetTokensSince('nobody', '2025-12-31T00:00:00.000Z'), 0);
    assert.equal(await store().resetPassword('p5-late', 'new-p5', now), 'p5');
    assert.equal(await store().countResetTokensSince('p5', '2025-12-31T00:00:00.000Z'), 0, 'a reset spends them all');
  });

  test('P4 two uses of one token at once: exactly one sets the password', async () => {
    await account('p4');
    await token('p4-token', 'p4');
    const results = await Promise.all(
      Array.from({ length: 5 }, (_, i) => store().resetPassword('p4-token', `new-p4-${i}`, now)),
    );
    assert.equal(results.filter((r) => r === 'p4').length, 1);
  });

  test('P5 a reset token names a user who exists', async () => {
    await assert.rejects(token('p5-token', 'nobody-p5'));
  });

  test('P6 an identity finds its user; an (issuer, subject) belongs to one user; issuers are apart', async () => {
    const user = await account('p6');
    const other = await account('p6b');
    const identity = { issuer: 'https://idp.example.test', subject: 'p6-sub' };
    assert.equal(await store().findUserByIdentity(identity), undefined);
    await store().linkIdentity(identity, user.id, now);
    assert.deepEqual(await store().findUserByIdentity(identity), user);
    await assert.rejects(store().linkIdentity(identity, other.id, now));
    const elsewhere = { issuer: 'https://other.example.test', subject: 'p6-sub' };
    assert.equal(await store().findUserByIdentity(elsewhere), undefined);
    await store().linkIdentity(elsewhere, other.id, now);
    assert.deepEqual(await store().findUserByIdentity(elsewhere), other);
    await assert.rejects(store().linkIdentity({ issuer: 'x', subject: 'y' }, 'nobody-p6', now));
  });

  test('P7 a guest upgraded in place keeps the identity linked to its id', async () => {
    await store().createUser({ id: 'p7', name: 'p7', kind: 'guest', createdAt: now });
    const upgraded = await store().upgradeGuest('p7', { kind: 'oidc', name: 'Pseven' });
    await store().linkIdentity({ issuer: 'https://idp.example.test', subject: 'p7-sub' }, 'p7', now);
    assert.deepEqual(await store().findUserByIdentity({ issuer: 'https://idp.example.test', subject: 'p7-sub' }), {
      id: 'p7',
      name: 'Pseven',
      kind: 'oidc',
    });
    assert.deepEqual(upgraded, { id: 'p7', name: 'Pseven', kind: 'oidc' });
  });
}
