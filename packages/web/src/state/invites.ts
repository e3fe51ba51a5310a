import type { RoomSummary, User } from '@pockychat/protocol';
import type { ChatState, RoomInvite } from './chat-state.ts';
import { rememberUsers } from './reconcile.ts';
import { omitKey } from './record-utils.ts';

/**
 * What a dismissal remembers: the room and who invited. The server keeps listing an invite
 * until it is used, so a dismissed one stays hidden, but a new invite from someone else shows.
 */
export function inviteKey(invite: RoomInvite): string {
  return `${invite.room} ${invite.by.id}`;
}

/** The invites from `GET /invites`, without dismissed ones and rooms already open. */
export function setInvites(state: ChatState, invites: RoomInvite[], dismissed: ReadonlySet<string>): ChatState {
  const shown = invites.filter((invite) => !dismissed.has(inviteKey(invite)) && !(invite.room in state.rooms));
  const next = rememberUsers(
    state,
    shown.map((invite) => invite.by),
  );
  return { ...next, invites: Object.fromEntries(shown.map((invite) => [invite.room, invite])) };
}

/** A live `invited` frame for a named room. */
export function addInvite(state: ChatState, invite: RoomInvite): ChatState {
  if (invite.room in state.rooms) return state;
  const next = rememberUsers(state, [invite.by]);
  return { ...next, invites: { ...next.invites, [invite.room]: invite } };
}

export function removeInvite(state: ChatState, room: string): ChatState {
  const invites = omitKey(state.invites, room);
  return invites === state.invites ? state : { ...state, invites };
}

/**
 * People one can invite by name: everyone this client has seen (authors, typists, inviters),
 * minus oneself and the room's members, by name.
 */
export function inviteCandidates(users: Record<string, User>, me: User, memberIds: ReadonlySet<string>): User[] {
  return Object.values(users)
    .filter((user) => user.id !== me.id && !memberIds.has(user.id))
    .sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
}

/** Public rooms not open in the sidebar, by name: joined once and closed, or never joined. */
export function discoverableRooms(state: Pick<ChatState, 'rooms' | 'directory'>): RoomSummary[] {
  return Object.values(state.directory)
    .filter((room) => room.visibility === 'public' && !(room.name in state.rooms))
    .sort((a, b) => a.name.localeCompare(b.name));
}
