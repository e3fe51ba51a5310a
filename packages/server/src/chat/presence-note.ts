import type { PresenceStatus } from '@pockychat/protocol';

/** One node's view of one of its users, as it travels between nodes. */
export interface PresenceNote {
  userId: string;
  status: PresenceStatus;
  /** Whether one of the user's connections on that node shows a visible tab. */
  visible: boolean;
  /** The rooms the user's connections on that node joined: where its changes are announced. */
  rooms: string[];
}

/** Orders statuses: a user's status is the best of its nodes'. */
export const statusRank: Readonly<Record<PresenceStatus, number>> = { offline: 0, away: 1, online: 2 };

export function bestStatus(a: PresenceStatus, b: PresenceStatus): PresenceStatus {
  return statusRank[a] >= statusRank[b] ? a : b;
}
