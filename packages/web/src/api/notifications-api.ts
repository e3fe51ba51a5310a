import { NotificationSettings, type NotificationLevel } from '@pockychat/protocol';
import { createJsonRequest } from './json-request.ts';

export interface NotificationsApi {
  settings(): Promise<NotificationSettings>;
  setLevel(room: string, level: NotificationLevel): Promise<void>;
  setPreview(preview: boolean): Promise<void>;
}

/** The notification settings kept on the server: a level per room, and whether to show text. */
export function createNotificationsApi(apiOrigin: string, getToken: () => string | null): NotificationsApi {
  const { call, send } = createJsonRequest(apiOrigin, getToken);
  return {
    settings: () => call('/notifications', NotificationSettings),
    setLevel: (room, level) =>
      send(`/rooms/${encodeURIComponent(room)}/notifications`, { method: 'PUT', body: JSON.stringify({ level }) }),
    setPreview: (preview) => send('/notifications', { method: 'PUT', body: JSON.stringify({ preview }) }),
  };
}
