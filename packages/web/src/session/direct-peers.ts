import { dmParticipants } from '@pockychat/protocol';
import type { RoomsApi } from '../api/rooms-api.ts';
import { rememberUsers } from '../state/reconcile.ts';
import type { ChatStore } from '../state/store.ts';

/**
 * The other person of each DM in the sidebar whose name is not known here:
 * a DM opened with us while this tab was not connected (adopted from the
 * directory), or restored after a reload before any message of it loaded,
 * would be labelled "Direct message". Its member list names them.
 */
export async function learnDirectPeers(store: ChatStore, api: RoomsApi, myId: string): Promise<void> {
  const { rooms, users } = store.getState();
  const unnamed = Object.keys(rooms).filter((room) => {
    const pair = dmParticipants(room);
    return pair !== undefined && pair.some((id) => id !== myId && !users[id]);
  });
  await Promise.all(
    unnamed.map(async (room) => {
      try {
        const members = await api.members(room);
        store.update((state) =>
          rememberUsers(
            state,
            members.map((member) => member.user),
          ),
        );
      } catch {
        // Left for good meanwhile, or a blip: the next refresh asks again.
      }
    }),
  );
}
