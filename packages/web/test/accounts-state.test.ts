import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { RoomSummary, User } from '@pockychat/protocol';
import { facebookUrl } from '../src/api/auth-api.ts';
import { ApiError } from '../src/api/http-api.ts';
import { checkFields, describeAuthError } from '../src/components/auth-messages.ts';
import { inviteBodyOf, noInvitee, setInviteField } from '../src/components/invite-form.ts';
import { tokenFromFragment } from '../src/session/url-token.ts';
import { initialChatState, type ChatState } from '../src/state/chat-state.ts';
import {
  addInvite,
  discoverableRooms,
  inviteCandidates,
  inviteKey,
  removeInvite,
  setInvites,
} from '../src/state/invites.ts';
import { addRoom, roomsToAdopt, setDirectory } from '../src/state/rooms.ts';

const ann: User = { id: 'ann1', name: 'Ann', kind: 'email' };
const bob: User = { id: 'bob1', name: 'Bob', kind: 'email' };
const cat: User = { id: 'cat1', name: 'cat', kind: 'guest' };

function withRooms(...names: string[]): ChatState {
  return names.reduce(addRoom, { ...initialChatState(), me: ann });
}

const room = (name: string, visibility: RoomSummary['visibility'], member?: boolean): RoomSummary =>
  member === undefined ? { name, visibility, members: 2 } : { name, visibility, members: 2, member };

describe('invites', () => {
  test('the list from the server leaves out dismissed invites and rooms already open, and names the inviters', () => {
    const state = setInvites(
      withRooms('lobby', 'open'),
      [
        { room: 'secret', by: bob },
        { room: 'open', by: bob },
        { room: 'old', by: cat },
      ],
      new Set([inviteKey({ room: 'old', by: cat })]),
    );
    assert.deepEqual(Object.keys(state.invites), ['secret']);
    assert.equal(state.users.bob1?.name, 'Bob');
  });

  test('a dismissal is per inviter: someone else inviting to the same room shows again', () => {
    assert.notEqual(inviteKey({ room: 'secret', by: bob }), inviteKey({ room: 'secret', by: cat }));
    const state = setInvites(
      withRooms('lobby'),
      [{ room: 'secret', by: cat }],
      new Set([inviteKey({ room: 'secret', by: bob })]),
    );
    assert.equal(state.invites.secret?.by.id, 'cat1');
  });

  test('a live invite is added unless the room is open; using it removes it', () => {
    let state = addInvite(withRooms('lobby'), { room: 'secret', by: bob });
    assert.equal(state.invites.secret?.by.name, 'Bob');
    assert.equal(addInvite(state, { room: 'lobby', by: bob }), state);
    state = removeInvite(state, 'secret');
    assert.deepEqual(state.invites, {});
    assert.equal(removeInvite(state, 'secret'), state, 'nothing to remove, same state');
  });

  test('people to invite by name: everyone seen but me and the members, by name', () => {
    const users = { ann1: ann, bob1: bob, cat1: cat, dan1: { id: 'dan1', name: 'Dan', kind: 'guest' as const } };
    const names = inviteCandidates(users, ann, new Set(['dan1'])).map((u) => u.name);
    assert.deepEqual(names, ['Bob', 'cat']);
  });

  test('the invite form sends exactly one way of naming someone', () => {
    assert.equal(inviteBodyOf(noInvitee), null);
    let fields = setInviteField('userId', 'bob1');
    assert.deepEqual(inviteBodyOf(fields), { userId: 'bob1' });
    fields = setInviteField('email', ' bob@example.com ');
    assert.deepEqual(fields, { userId: '', email: ' bob@example.com ', facebookId: '' });
    assert.deepEqual(inviteBodyOf(fields), { email: 'bob@example.com' });
    assert.deepEqual(inviteBodyOf(setInviteField('facebookId', '1234')), { facebookId: '1234' });
    assert.equal(inviteBodyOf(setInviteField('email', '   ')), null);
  });
});

describe('the room directory', () => {
  test('rooms the person is a member of are adopted, public ones too; others and closed ones are not', () => {
    const state = setDirectory(withRooms('lobby'), [
      room('lobby', 'public', true),
      room('design', 'public', true),
      room('random', 'public', false),
      room('secret', 'private', true),
      room('dm:ann1:bob1', 'private', true),
      room('closed', 'private', true),
    ]);
    assert.deepEqual(roomsToAdopt(state, new Set(['closed'])), ['design', 'secret', 'dm:ann1:bob1']);
  });

  test('without the member flag (an older server) only private rooms and DMs are adopted', () => {
    const state = setDirectory(withRooms('lobby'), [room('random', 'public'), room('secret', 'private')]);
    assert.deepEqual(roomsToAdopt(state, new Set()), ['secret']);
  });

  test('public rooms not open in the sidebar are offered, by name', () => {
    const state = setDirectory(withRooms('lobby', 'design'), [
      room('lobby', 'public', true),
      room('zoo', 'public', false),
      room('design', 'public', true),
      room('art', 'public', false),
      room('secret', 'private', true),
    ]);
    assert.deepEqual(
      discoverableRooms(state).map((r) => r.name),
      ['art', 'zoo'],
    );
  });
});

describe('signing in', () => {
  test('the token of a Facebook sign-in is read from the URL fragment', () => {
    assert.equal(tokenFromFragment('#access_token=abc123'), 'abc123');
    assert.equal(tokenFromFragment('#access_token=a%2Bb%2Fc'), 'a+b/c');
    assert.equal(tokenFromFragment('#state=1&access_token=xyz'), 'xyz');
    assert.equal(tokenFromFragment('#access_token='), null);
    assert.equal(tokenFromFragment('#section-2'), null);
    assert.equal(tokenFromFragment(''), null);
  });

  test('Facebook starts on the server; from another origin it is told where to come back', () => {
    assert.equal(facebookUrl('', 'http://chat.local'), '/auth/facebook');
    assert.equal(facebookUrl('http://chat.local', 'http://chat.local'), '/auth/facebook');
    assert.equal(
      facebookUrl('https://api.example.com', 'https://web.example.com'),
      'https://api.example.com/auth/facebook?return=https%3A%2F%2Fweb.example.com',
    );
  });

  test('form problems are caught before asking the server', () => {
    assert.equal(checkFields('login', '', 'ann@example.com', 'x'), null);
    assert.match(checkFields('login', '', 'ann', 'x') ?? '', /email address/);
    assert.match(checkFields('login', '', 'ann@example.com', '') ?? '', /password/);
    assert.match(checkFields('register', '', 'ann@example.com', 'long enough pw') ?? '', /display name/);
    assert.match(checkFields('register', 'Ann', 'ann@example.com', 'short') ?? '', /too short: use at least 10/);
    assert.equal(checkFields('register', 'Ann', 'ann@example.com', 'long enough pw'), null);
  });

  test("the server's refusals are said as sentences", () => {
    assert.equal(
      describeAuthError(new ApiError(401, 'bad_credentials', 'wrong email or password')),
      'Wrong email or password.',
    );
    assert.equal(
      describeAuthError(new ApiError(400, 'bad_request', 'an account with this email exists: log in instead')),
      'An account with this email exists: log in instead.',
    );
    assert.equal(
      describeAuthError(new ApiError(400, 'bad_request', 'password: a password has at least 10 characters')),
      'A password has at least 10 characters.',
    );
    assert.match(describeAuthError(new ApiError(429, 'rate_limited', 'slow down')), /Too many attempts/);
    assert.match(describeAuthError(new TypeError('Failed to fetch')), /Cannot reach the server/);
  });
});
