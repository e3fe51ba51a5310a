import {
  GroupDmAnswer,
  GroupDmsAnswer,
  LinkAnswer,
  LinkJoinAnswer,
  LinkPreview,
  LinksAnswer,
  type CreateLinkBody,
  type GroupDm,
  type InviteLink,
} from '@pockychat/protocol';
import { createJsonRequest } from './json-request.ts';

export interface LinksApi {
  /** The answer is the only time the link's code is seen. */
  create(room: string, body: CreateLinkBody): Promise<InviteLink>;
  list(room: string): Promise<InviteLink[]>;
  revoke(room: string, id: string): Promise<void>;
  preview(code: string): Promise<LinkPreview>;
  join(code: string): Promise<{ room: string }>;
  createGroupDm(userIds: string[]): Promise<GroupDm>;
  groupDms(): Promise<GroupDm[]>;
}

/** Invite links and group DMs: their HTTP calls (docs/protocol.md). */
export function createLinksApi(apiOrigin: string, getToken: () => string | null): LinksApi {
  const { call, send } = createJsonRequest(apiOrigin, getToken);
  const linksPath = (room: string) => `/rooms/${encodeURIComponent(room)}/links`;
  const post = (body: unknown = {}) => ({ method: 'POST', body: JSON.stringify(body) });
  return {
    create: async (room, body) => (await call(linksPath(room), LinkAnswer, post(body))).link,
    list: async (room) => (await call(linksPath(room), LinksAnswer)).links,
    revoke: (room, id) => send(`${linksPath(room)}/${encodeURIComponent(id)}`, { method: 'DELETE' }),
    preview: (code) => call(`/links/${encodeURIComponent(code)}`, LinkPreview),
    join: (code) => call(`/links/${encodeURIComponent(code)}/join`, LinkJoinAnswer, post()),
    createGroupDm: (userIds) => call('/group-dms', GroupDmAnswer, post({ userIds })),
    groupDms: async () => (await call('/group-dms', GroupDmsAnswer)).groupDms,
  };
}
