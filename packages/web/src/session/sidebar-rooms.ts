import { LOBBY, dmRoomName, isGroupDmRoom, type User, type Visibility } from '@pockychat/protocol';
import { ApiError } from '../api/http-api.ts';
import type { RoomsApi } from '../api/rooms-api.ts';
import type { ChatState } from '../state/chat-state.ts';
import { isDirectRoom } from '../state/room-label.ts';
import { addRoom, removeRoom, roomsToAdopt, setActiveRoom, setNotice } from '../state/rooms.ts';
import type { ChatStore } from '../state/store.ts';
import { refreshDirectPresence } from './direct-presence.ts';
import type { GroupMessages } from './group-messages.ts';
import type { RoomJoins } from './room-joins.ts';
import type { RoomMembership } from './room-membership.ts';
import { readSavedRooms, writeSavedRooms } from './saved-rooms.ts';

export interface SidebarRoomsDeps {
  store: ChatStore;
  me: User;
  joins: RoomJoins;
  membership: RoomMembership;
  groups: GroupMessages;
  rooms: RoomsApi;
  refreshDirectory: () => void;
  report: (error: unknown) => void;
}

/**
 * The rooms in the sidebar, remembered per person across reloads: those joined, shown or left
 * here, and those that come or go on their own (a DM someone opened with us, a removal, a ban).
 */
export class SidebarRooms {
  private readonly deps: SidebarRoomsDeps;
  /** Rooms left on purpose; the directory does not bring them back. */
  private readonly left = new Set<string>();
  /** Rooms being left for good: the server's `left` frame for them is no news. */
  private readonly leaving = new Set<string>();

  constructor(deps: SidebarRoomsDeps) {
    this.deps = deps;
  }

  /** The sidebar of the last visit, as a change of state for the session's first update. */
  restore(): (state: ChatState) => ChatState {
    const saved = readSavedRooms(this.deps.me.id);
    for (const room of saved.left) this.left.add(room);
    return (state) => setActiveRoom(saved.rooms.reduce(addRoom, state), saved.active);
  }

  join(name: string, visibility?: Visibility): void {
    this.left.delete(name);
    this.deps.membership.take(name);
    this.deps.store.update((state) => setNotice(setActiveRoom(addRoom(state, name), name), null));
    this.save();
    this.deps.joins.join(name, visibility);
  }

  openDirect(other: User): void {
    const { store, me } = this.deps;
    if (other.id === me.id) return;
    store.update((state) => ({ ...state, users: { ...state.users, [other.id]: other } }));
    this.join(dmRoomName(me.id, other.id));
    void refreshDirectPresence(store, this.deps.rooms, me.id);
  }

  /** Shown if in the sidebar, else joined. */
  open(name: string): void {
    if (this.deps.store.getState().rooms[name]) this.show(name);
    else this.join(name);
  }

  show(name: string): void {
    this.deps.store.update((state) => setActiveRoom(state, name));
    this.save();
  }

  /** Out of the sidebar, still a member: the directory lists it to join again. */
  leave(name: string): void {
    if (name === LOBBY) return;
    this.deps.joins.leave(name);
    this.left.add(name);
    this.deps.store.update((state) => removeRoom(state, name));
    this.save();
  }

  /** Ends membership (a private room then needs a new invite); the sidebar drops the room. */
  async leaveForGood(name: string): Promise<void> {
    this.leaving.add(name);
    try {
      await this.deps.membership.leave(name);
    } catch (error) {
      // not_found: no longer a member anyway (removed meanwhile); the room goes all the same.
      if (!(error instanceof ApiError && error.code === 'not_found')) {
        this.leaving.delete(name);
        return this.deps.report(error);
      }
    }
    this.deps.store.update((state) => removeRoom(state, name));
    this.save();
    this.deps.refreshDirectory();
  }

  /** Rooms the directory lists us in that are not in the sidebar (a DM opened while away), unless left here. */
  adoptListed(): void {
    const adopted = roomsToAdopt(this.deps.store.getState(), this.left);
    if (adopted.length === 0) return;
    this.deps.store.update((state) => adopted.reduce(addRoom, state));
    this.save();
    for (const room of adopted) this.deps.joins.send(room);
  }

  /** A DM someone opened with us shows up at once; an invite to a named room waits for a Join. */
  invited(room: string, by: User): void {
    const { store, me } = this.deps;
    if (!isDirectRoom(room)) return this.deps.membership.invited({ room, by });
    if (isGroupDmRoom(room)) void this.deps.groups.refresh();
    if (this.left.delete(room)) this.save();
    store.update((state) => ({ ...addRoom(state, room), users: { ...state.users, [by.id]: by } }));
    this.save();
    this.deps.joins.send(room);
    void refreshDirectPresence(store, this.deps.rooms, me.id);
  }

  /** Removed or banned by the room's owner or a moderator, or left for good on another device. */
  removed(room: string, reason: 'removed' | 'banned'): void {
    if (this.leaving.has(room) || !this.deps.store.getState().rooms[room]) return;
    this.drop(room, reason === 'banned' ? `You were banned from ${room}.` : `You are no longer a member of ${room}.`);
  }

  drop(room: string, notice: string): void {
    this.deps.store.update((state) => setNotice(removeRoom(state, room), notice));
    this.save();
  }

  private save(): void {
    const state = this.deps.store.getState();
    writeSavedRooms(this.deps.me.id, {
      rooms: Object.keys(state.rooms),
      active: state.activeRoom ?? LOBBY,
      left: [...this.left],
    });
  }
}
