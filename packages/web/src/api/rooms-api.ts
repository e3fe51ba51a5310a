import {
  InvitesAnswer,
  MembersAnswer,
  PresenceAnswer,
  type InviteBody,
  type PresenceStatus,
} from '@pockychat/protocol';
import { createJsonRequest } from './json-request.ts';

/** A room someone invited the caller to, not joined yet. */
export type Invite = InvitesAnswer['invites'][number];

export type Member = MembersAnswer['members'][number];

export interface RoomsApi {
  invites(): Promise<Invite[]>;
  invite(room: string, invitee: InviteBody): Promise<void>;
  members(room: string): Promise<Member[]>;
  /** Leaves a room for good: membership ends, and a private room needs a new invite. */
  leave(room: string): Promise<void>;
  /** The owner removes a member. */
  remove(room: string, userId: string): Promise<void>;
  /** `GET /presence`: the statuses of up to 100 users (the other side of each DM). */
  presence(ids: string[]): Promise<Record<string, PresenceStatus>>;
}

/** Invites and membership beyond joining: the HTTP side of rooms (issue 4). */
export function createRoomsApi(apiOrigin: string, getToken: () => string | null): RoomsApi {
  const { call, send } = createJsonRequest(apiOrigin, getToken);
  const roomPath = (room: string) => `/rooms/${encodeURIComponent(room)}`;
  return {
    invites: async () => (await call('/invites', InvitesAnswer)).invites,
    invite: async (room, invitee) => {
      await send(`${roomPath(room)}/invites`, { method: 'POST', body: JSON.stringify(invitee) });
    },
    members: async (room) => (await call(`${roomPath(room)}/members`, MembersAnswer)).members,
    leave: (room) => send(`${roomPath(room)}/members/me`, { method: 'DELETE' }),
    remove: (room, userId) => send(`${roomPath(room)}/members/${encodeURIComponent(userId)}`, { method: 'DELETE' }),
    presence: async (ids) =>
      (await call(`/presence?ids=${ids.map(encodeURIComponent).join(',')}`, PresenceAnswer)).presence,
  };
}
