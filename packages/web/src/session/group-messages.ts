import type { LinksApi } from '../api/links-api.ts';
import { setGroupDms } from '../state/group-dms.ts';
import type { ChatStore } from '../state/store.ts';

/** Group DMs: who is in each (to name it), and starting one. */
export class GroupMessages {
  private readonly store: ChatStore;
  private readonly api: LinksApi | undefined;

  constructor(store: ChatStore, api: LinksApi | undefined) {
    this.store = store;
    this.api = api;
  }

  /** On connecting, and when someone starts a group with us. */
  async refresh(): Promise<void> {
    if (!this.api) return;
    try {
      const groups = await this.api.groupDms();
      this.store.update((state) => setGroupDms(state, groups));
    } catch {
      return; // Names fall back to "Group message" until the next refresh.
    }
  }

  /** Starts (or finds: one room per set of people) the group with these people; errors are the caller's. */
  async start(userIds: string[]): Promise<string> {
    if (!this.api) throw new Error('group messages are not available');
    const group = await this.api.createGroupDm(userIds);
    this.store.update((state) => setGroupDms(state, [group]));
    return group.room;
  }
}
