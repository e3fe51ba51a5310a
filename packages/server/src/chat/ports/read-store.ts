import type { UnreadCounts } from '@pockychat/protocol';

/** Read markers: how far each user has read each room, and what is left unread. */
export interface ReadStore {
  /**
   * Moves the user's marker in the room to `seq` if that is further on, in
   * one atomic statement (two tabs marking at once cannot move it back).
   * True if it moved.
   */
  markRead(userId: string, room: string, seq: number): Promise<boolean>;
  /** The user's marker in the room; 0 if never read. */
  readSeq(userId: string, room: string): Promise<number>;
  /**
   * For every room the user is a member of: the marker, the messages after
   * it by others (deleted ones not counted), and those of them that mention
   * the user. Rooms without a member row are left out.
   */
  unreadCounts(userId: string): Promise<Map<string, UnreadCounts>>;
}
