import type { HttpApi } from '../api/http-api.ts';
import type { RoomsApi } from '../api/rooms-api.ts';
import { setDirectory } from '../state/rooms.ts';
import type { ChatStore } from '../state/store.ts';
import { coalesced } from './coalesced.ts';
import { learnDirectPeers } from './direct-peers.ts';
import { MemberSightings } from './member-sightings.ts';
import type { SidebarRooms } from './sidebar-rooms.ts';
import type { UnreadTracker } from './unread-tracker.ts';

export interface RoomDirectoryDeps {
  store: ChatStore;
  http: HttpApi;
  rooms: RoomsApi;
  meId: string;
  reads: UnreadTracker;
  sidebar: SidebarRooms;
}

/**
 * The room directory (GET /rooms): member counts, unread counts, and rooms someone else made us a
 * member of. Refreshes are coalesced, so answers never land out of order.
 */
export class RoomDirectory {
  private readonly deps: RoomDirectoryDeps;
  /** Who was seen active in each room: how a join the server does not announce shows in the member count. */
  private readonly sightings: MemberSightings;
  readonly refresh = coalesced(() => this.read());

  constructor(deps: RoomDirectoryDeps) {
    this.deps = deps;
    this.sightings = new MemberSightings(deps.meId);
  }

  /** Someone posted or typed in a room: a new face there may be a member the count has not caught up with. */
  sawActive(room: string, userId: string): void {
    const counted = this.deps.store.getState().directory[room]?.members;
    if (this.sightings.saw(room, userId, counted)) void this.refresh();
  }

  private async read(): Promise<void> {
    const { store, http, reads, sidebar } = this.deps;
    try {
      const rooms = await http.rooms();
      store.update((state) => setDirectory(state, rooms));
      reads.directory(rooms);
    } catch {
      return; // The directory is a convenience; the next refresh will try again.
    }
    sidebar.adoptListed();
    await learnDirectPeers(store, this.deps.rooms, this.deps.meId);
  }
}
