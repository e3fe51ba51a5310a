import { dmParticipants, maxPresenceIds } from '@pockychat/protocol';
import type { RoomsApi } from '../api/rooms-api.ts';
import { setPresence } from '../state/presence.ts';
import type { ChatStore } from '../state/store.ts';

/**
 * The other side of each DM in the sidebar: its status read by HTTP when
 * the socket opens or a DM appears; `presence` frames keep it live after.
 */
export async function refreshDirectPresence(store: ChatStore, api: RoomsApi, myId: string): Promise<void> {
  const others = new Set<string>();
  for (const room of Object.keys(store.getState().rooms)) {
    const pair = dmParticipants(room);
    if (pair) others.add(pair[0] === myId ? pair[1] : pair[0]);
  }
  const ids = [...others].slice(0, maxPresenceIds);
  if (ids.length === 0) return;
  try {
    const statuses = await api.presence(ids);
    store.update((state) => setPresence(state, statuses));
  } catch {
    // A server without presence, or a blip: the dots stay as they were.
  }
}
