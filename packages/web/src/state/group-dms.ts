import type { GroupDm } from '@pockychat/protocol';
import type { ChatState } from './chat-state.ts';
import { rememberUsers } from './reconcile.ts';

/** Group DMs as `GET /group-dms` or `POST /group-dms` give them: their people, to name them. */
export function setGroupDms(state: ChatState, groups: readonly GroupDm[]): ChatState {
  const next = rememberUsers(
    state,
    groups.flatMap((g) => g.participants),
  );
  const groupDms = { ...next.groupDms };
  for (const g of groups) groupDms[g.room] = g.participants.map((u) => u.id);
  return { ...next, groupDms };
}
