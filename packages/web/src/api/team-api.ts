import {
  AdminRoomsAnswer,
  AdminUsersAnswer,
  AuditAnswer,
  ModerationAnswer,
  type AdminRoom,
  type AdminUser,
  type AuditEntry,
} from '@pockychat/protocol';
import { createJsonRequest } from './json-request.ts';

export type { AdminRoom, AdminUser, AuditEntry };

export interface Paged<T> {
  rows: T[];
  /** The cursor of the next page, if there is one. */
  next?: string;
}

/** The admin's calls (/admin/*): users, rooms, deactivation, passwords. */
export interface AdminApi {
  users(q: string, cursor?: string): Promise<Paged<AdminUser>>;
  rooms(cursor?: string): Promise<Paged<AdminRoom>>;
  deactivate(userId: string): Promise<void>;
  reactivate(userId: string): Promise<void>;
  setPassword(userId: string, password: string): Promise<void>;
}

/** A room's moderation: moderators, bans, mutes, the audit log. */
export interface ModerationApi {
  setModerator(room: string, userId: string, moderator: boolean): Promise<void>;
  ban(room: string, userId: string): Promise<void>;
  unban(room: string, userId: string): Promise<void>;
  mute(room: string, userId: string, minutes: number): Promise<void>;
  unmute(room: string, userId: string): Promise<void>;
  state(room: string): Promise<ModerationAnswer>;
  audit(room: string, cursor?: string): Promise<Paged<AuditEntry>>;
}

export interface TeamApi {
  admin: AdminApi;
  moderation: ModerationApi;
}

const PAGE = 20;

/** Running a team over HTTP (docs/protocol.md, "Running a team"). */
export function createTeamApi(apiOrigin: string, getToken: () => string | null): TeamApi {
  const { call, send } = createJsonRequest(apiOrigin, getToken);
  const post = (path: string, body?: unknown) =>
    send(path, { method: 'POST', ...(body !== undefined && { body: JSON.stringify(body) }) });
  const user = (id: string) => `/admin/users/${encodeURIComponent(id)}`;
  const room = (name: string) => `/rooms/${encodeURIComponent(name)}`;
  const page = (cursor?: string) => `limit=${PAGE}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
  return {
    admin: {
      users: async (q, cursor) => {
        const answer = await call(`/admin/users?q=${encodeURIComponent(q)}&${page(cursor)}`, AdminUsersAnswer);
        return { rows: answer.users, ...(answer.next && { next: answer.next }) };
      },
      rooms: async (cursor) => {
        const answer = await call(`/admin/rooms?${page(cursor)}`, AdminRoomsAnswer);
        return { rows: answer.rooms, ...(answer.next && { next: answer.next }) };
      },
      deactivate: (id) => post(`${user(id)}/deactivate`),
      reactivate: (id) => post(`${user(id)}/reactivate`),
      setPassword: (id, password) => post(`${user(id)}/password`, { password }),
    },
    moderation: {
      setModerator: (name, id, on) =>
        send(`${room(name)}/moderators/${encodeURIComponent(id)}`, { method: on ? 'PUT' : 'DELETE' }),
      ban: (name, userId) => post(`${room(name)}/bans`, { userId }),
      unban: (name, id) => send(`${room(name)}/bans/${encodeURIComponent(id)}`, { method: 'DELETE' }),
      mute: (name, userId, minutes) => post(`${room(name)}/mutes`, { userId, minutes }),
      unmute: (name, id) => send(`${room(name)}/mutes/${encodeURIComponent(id)}`, { method: 'DELETE' }),
      state: (name) => call(`${room(name)}/moderation`, ModerationAnswer),
      audit: async (name, cursor) => {
        const answer = await call(`${room(name)}/audit?${page(cursor)}`, AuditAnswer);
        return { rows: answer.entries, ...(answer.next && { next: answer.next }) };
      },
    },
  };
}
