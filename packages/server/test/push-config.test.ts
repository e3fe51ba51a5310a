import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, loadConfig } from '../src/config.ts';

/** The Web Push settings (config.ts): defaults, values given, and refusals. */

const keys = {
  VAPID_PUBLIC_KEY: 'BBrpgvvyJQtd-k0JCWquT-V2cvlUy4Z7IcbaFd162JYV6WiRoxelZd9PjQ4soz5IdA-ExSOchBS-ovtPDqIncfw',
  VAPID_PRIVATE_KEY: 'Ttilo_61L8G24qqr6GJhpOh05ufB2IyVrIKFcU6qSC8',
};

test('push defaults: keys from DATA_DIR, subject mailto:admin@localhost, private endpoints refused', () => {
  assert.deepEqual(loadConfig({}).push, {
    vapidKeys: undefined,
    vapidSubject: 'mailto:admin@localhost',
    allowPrivateEndpoints: false,
  });
});

test('VAPID keys, subject and PUSH_ALLOW_PRIVATE_ENDPOINTS are read', () => {
  const config = loadConfig({
    ...keys,
    VAPID_SUBJECT: 'https://chat.example.com',
    PUSH_ALLOW_PRIVATE_ENDPOINTS: 'true',
  });
  assert.deepEqual(config.push, {
    vapidKeys: { publicKey: keys.VAPID_PUBLIC_KEY, privateKey: keys.VAPID_PRIVATE_KEY },
    vapidSubject: 'https://chat.example.com',
    allowPrivateEndpoints: true,
  });
});

test('one VAPID key without the other, a malformed key or subject, is refused', () => {
  assert.throws(() => loadConfig({ VAPID_PUBLIC_KEY: keys.VAPID_PUBLIC_KEY }), ConfigError);
  assert.throws(() => loadConfig({ VAPID_PRIVATE_KEY: keys.VAPID_PRIVATE_KEY }), ConfigError);
  assert.throws(() => loadConfig({ ...keys, VAPID_PUBLIC_KEY: 'short' }), /VAPID_PUBLIC_KEY/);
  assert.throws(
    () => loadConfig({ ...keys, VAPID_PRIVATE_KEY: 'not+base64url/at=all=======================' }),
    /VAPID_PRIVATE_KEY/,
  );
  assert.throws(() => loadConfig({ VAPID_SUBJECT: 'admin@example.com' }), /VAPID_SUBJECT/);
  assert.throws(() => loadConfig({ PUSH_ALLOW_PRIVATE_ENDPOINTS: 'yes' }), /PUSH_ALLOW_PRIVATE_ENDPOINTS/);
});
