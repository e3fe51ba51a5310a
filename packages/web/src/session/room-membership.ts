import type { InviteBody, User } from '@pockychat/protocol';
import type { Member, RoomsApi } from '../api/rooms-api.ts';
import type { RoomInvite } from '../state/chat-state.ts';
import { addInvite, inviteKey, removeInvite, setInvites } from '../state/invites.ts';
import { setMemberCount } from '../state/rooms.ts';
import type { ChatStore } from '../state/store.ts';
import { readDismissedInvites, writeDismissedInvites } from './saved-rooms.ts';

/** Invites (received and sent) and membership: who is in a room, leaving it, removing others. */
export class RoomMembership {
  private readonly store: ChatStore;
  private readonly api: RoomsApi;
  private readonly me: User;
  private readonly dismissed: Set<string>;

  constructor(store: ChatStore, api: RoomsApi, me: User) {
    this.store = store;
    this.api = api;
    this.me = me;
    this.dismissed = new Set(readDismissedInvites(me.id));
  }

  /** Invites made while this client was away (or before this person signed in). */
  async refreshInvites(): Promise<void> {
    try {
      const invites = await this.api.invites();
      this.store.update((state) => setInvites(state, invites, this.dismissed));
    } catch {
      return; // Live `invited` frames still arrive; the next reconnect asks again.
    }
  }

  /** A live invite: shown even if an earlier one to the room was dismissed, since someone asked again. */
  invited(invite: RoomInvite): void {
    if (this.dismissed.delete(inviteKey(invite))) this.saveDismissed();
    this.store.update((state) => addInvite(state, invite));
  }

  /** The invite is being used: joining the room ends it on the server too. */
  take(room: string): void {
    this.store.update((state) => removeInvite(state, room));
  }

  dismiss(room: string): void {
    const invite = this.store.getState().invites[room];
    if (!invite) return;
    this.dismissed.add(inviteKey(invite));
    this.saveDismissed();
    this.take(room);
  }

  /** Errors are the caller's to show: they belong next to the form that sent the invite. */
  invite(room: string, invitee: InviteBody): Promise<void> {
    return this.api.invite(room, invitee);
  }

  /** Who is in a room; the room's member count follows the list, which is fresher than the directory. */
  async members(room: string): Promise<Member[]> {
    const members = await this.api.members(room);
    this.store.update((state) => setMemberCount(state, room, members.length));
    return members;
  }

  remove(room: string, userId: string): Promise<void> {
    return this.api.remove(room, userId);
  }

  leave(room: string): Promise<void> {
    return this.api.leave(room);
  }

  private saveDismissed(): void {
    writeDismissedInvites(this.me.id, [...this.dismissed]);
  }
}
