import type { GroupDmStore } from './group-dm-store.ts';
import type { InviteLinkStore } from './invite-link-store.ts';
import type { AdminStore } from './admin-store.ts';
import type { MessageStore } from './message-store.ts';
import type { ReadStore } from './read-store.ts';
import type { PushStore } from './push-store.ts';
import type { RoomStore } from './room-store.ts';
import type { SearchStore } from './search-store.ts';
import type { ModerationStore } from './moderation-store.ts';
import type { SignInStore } from './sign-in-store.ts';
import type { UserStore } from './user-store.ts';

/**
 * Everything the domain keeps, in one: what main.ts opens and closes. The
 * domain's classes each take only the ports they use. Every implementation
 * passes test/store-contract.ts.
 */
export interface Store
  extends UserStore, RoomStore, MessageStore, ReadStore, SearchStore, InviteLinkStore, GroupDmStore, SignInStore {
  /** Push subscriptions and notification settings (a part of its own: few callers need it). */
  readonly push: PushStore;
  /** The server's admins and the accounts they run (chat/admin.ts). */
  readonly admins: AdminStore;
  /** Rooms' moderators, bans, mutes and audit log (chat/moderation.ts). */
  readonly moderation: ModerationStore;
  /** Resolves when the database answers a trivial query; rejects when it is away. */
  ping(): Promise<void>;
  /** Waits for writes under way, then releases the database. */
  close(): Promise<void>;
}
