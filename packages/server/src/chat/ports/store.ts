import type { MessageStore } from './message-store.ts';
import type { RoomStore } from './room-store.ts';
import type { SignInStore } from './sign-in-store.ts';
import type { UserStore } from './user-store.ts';

/**
 * Everything the domain keeps, in one: what main.ts opens and closes. The
 * domain's classes each take only the ports they use. Every implementation
 * passes test/store-contract.ts.
 */
export interface Store extends UserStore, RoomStore, MessageStore, SignInStore {
  /** Resolves when the database answers a trivial query; rejects when it is away. */
  ping(): Promise<void>;
  /** Waits for writes under way, then releases the database. */
  close(): Promise<void>;
}
