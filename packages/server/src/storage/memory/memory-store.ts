import { ComposedStore } from '../composed-store.ts';
import { MemoryGroupDmStore } from './memory-group-dm-store.ts';
import { MemoryInviteLinkStore } from './memory-invite-link-store.ts';
import { MemoryMessageStore } from './memory-message-store.ts';
import { MemoryReadStore } from './memory-read-store.ts';
import { MemoryPushStore } from './memory-push-store.ts';
import { MemoryAdminStore } from './memory-admin-store.ts';
import { MemoryModerationStore } from './memory-moderation-store.ts';
import { MemoryRoomStore } from './memory-room-store.ts';
import { MemorySearchStore } from './memory-search-store.ts';
import { MemorySignInStore } from './memory-sign-in-store.ts';
import { MemoryUserStore } from './memory-user-store.ts';
import { MemoryTables } from './tables.ts';

/**
 * The whole Store in this process's memory, gone when it ends: for fast
 * tests of the domain. It keeps the rules of the SQL stores (the same
 * contract suite runs against it), foreign keys included: a row naming a
 * user or room that does not exist is refused.
 */
export class MemoryStore extends ComposedStore {
  constructor() {
    const tables = new MemoryTables();
    // What the first migration creates: the public lobby.
    const createdAt = new Date().toISOString();
    tables.rooms.set('lobby', {
      name: 'lobby',
      visibility: 'public',
      ownerId: null,
      lastSeq: 0,
      lastRev: 0,
      createdAt,
    });
    super({
      users: new MemoryUserStore(tables),
      rooms: new MemoryRoomStore(tables),
      messages: new MemoryMessageStore(tables),
      reads: new MemoryReadStore(tables),
      push: new MemoryPushStore(tables),
      search: new MemorySearchStore(tables),
      links: new MemoryInviteLinkStore(tables),
      groupDms: new MemoryGroupDmStore(tables),
      admins: new MemoryAdminStore(tables),
      moderation: new MemoryModerationStore(tables),
      signIns: new MemorySignInStore(tables),
      ping: async () => undefined,
      close: async () => undefined,
    });
  }
}
