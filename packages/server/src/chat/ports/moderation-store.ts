import type { AuditAction, AuditEntry, User } from '@pockychat/protocol';
import type { OutboxDelivery } from '../../fanout/fanout.ts';
import type { Page, PageRequest } from './admin-store.ts';

export interface NewAuditEntry {
  id: string;
  room: string;
  at: string;
  actorId: string;
  action: AuditAction;
  targetUserId?: string;
  messageId?: string;
  detail?: string;
}

/** A room's moderators (a role of its members), bans, mutes and audit log. */
export interface ModerationStore {
  /** Changes a member's role between 'moderator' and 'member'; false if the user is not a plain member or moderator. */
  setModerator(room: string, userId: string, moderator: boolean): Promise<boolean>;
  /**
   * Records a ban (banning twice is one ban), removes the membership and any
   * invite, in one transaction; with several nodes, `notice` goes in the
   * outbox in that transaction too.
   */
  addBan(room: string, userId: string, by: string, at: string, notice?: OutboxDelivery): Promise<void>;
  /** Lifts a ban; false if there was none. */
  removeBan(room: string, userId: string): Promise<boolean>;
  isBanned(room: string, userId: string): Promise<boolean>;
  /** The rooms the user is banned from. */
  bannedRooms(userId: string): Promise<string[]>;
  listBans(room: string): Promise<Array<{ user: User; at: string }>>;
  /** Records or replaces a mute until `until` (ISO-8601). */
  setMute(room: string, userId: string, until: string, by: string): Promise<void>;
  /** Lifts a mute; false if there was none. */
  removeMute(room: string, userId: string): Promise<boolean>;
  /** The room's mutes ending after `now` (ISO-8601). */
  listMutes(room: string, now: string): Promise<Array<{ user: User; until: string }>>;
  /**
   * Who may not speak in the room now, in one read (the send path's cache,
   * chat/moderation.ts): the mutes ending after `now` (ISO-8601), and the
   * bans, whose `until` is null.
   */
  listSilenced(room: string, now: string): Promise<Array<{ userId: string; until: string | null }>>;
  appendAudit(entry: NewAuditEntry): Promise<void>;
  /** The room's entries, newest first; `after` is the id of the previous page's last entry. */
  listAudit(room: string, page: PageRequest): Promise<Page<AuditEntry>>;
}
