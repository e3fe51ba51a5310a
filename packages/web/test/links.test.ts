import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { User } from '@pockychat/protocol';
import { joinCodeOf } from '../src/session/join-link.ts';
import { initialChatState } from '../src/state/chat-state.ts';
import { setGroupDms } from '../src/state/group-dms.ts';
import { isDirectRoom, roomLabel } from '../src/state/room-label.ts';

const code = 'ZSeGo2gT1Vq0abcdEFGH_-12';
const user = (id: string, name: string): User => ({ id, name, kind: 'guest' });

test('an invite link code is read from ?join= or #/join/, and nothing else passes for one', () => {
  assert.equal(joinCodeOf(`?join=${code}`, ''), code);
  assert.equal(joinCodeOf(`?x=1&join=${code}`, '#top'), code);
  assert.equal(joinCodeOf('', `#/join/${code}`), code);
  assert.equal(joinCodeOf('?join=short', ''), null);
  assert.equal(joinCodeOf('?join=<script>alert(1)</script>aaaaaaaaaaaaaaaa', ''), null);
  assert.equal(joinCodeOf('', '#access_token=abc'), null);
  assert.equal(joinCodeOf('', ''), null);
});

test('a group DM is named by its other people, sorted; a DM by the other; a room by its name', () => {
  const me = user('a', 'Ann');
  const state = setGroupDms(initialChatState(), [
    { room: 'gdm:x1', participants: [me, user('c', 'Cat'), user('b', 'Bob')] },
  ]);
  assert.deepEqual(state.groupDms, { 'gdm:x1': ['a', 'c', 'b'] });
  assert.equal(state.users['c']?.name, 'Cat', 'the people are remembered');
  assert.equal(roomLabel('gdm:x1', me, state.users, state.groupDms), 'Bob, Cat');
  assert.equal(roomLabel('gdm:unknown', me, state.users, state.groupDms), 'Group message');
  assert.equal(roomLabel('dm:a:b', me, state.users), 'Bob');
  assert.equal(roomLabel('plans', me, state.users), 'plans');
  assert.equal(isDirectRoom('gdm:x1'), true);
  assert.equal(isDirectRoom('dm:a:b'), true);
  assert.equal(isDirectRoom('plans'), false);
});
