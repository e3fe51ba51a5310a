import assert from 'node:assert/strict';
import { test } from 'node:test';
import { initialChatState } from '../src/state/chat-state.ts';
import { setPresence } from '../src/state/presence.ts';

test('setPresence takes in new statuses and keeps the same state when nothing changed', () => {
  const start = initialChatState();
  const one = setPresence(start, { bob: 'online' });
  assert.deepEqual(one.presence, { bob: 'online' });
  assert.equal(setPresence(one, { bob: 'online' }), one, 'no change: the same state, no render');
  const two = setPresence(one, { bob: 'away', cat: 'offline' });
  assert.deepEqual(two.presence, { bob: 'away', cat: 'offline' });
  assert.deepEqual(one.presence, { bob: 'online' }, 'the earlier state is untouched');
});
