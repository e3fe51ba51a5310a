import type { InviteLinkRecord, LinkRedemption, NewInviteLink } from '../model.ts';

/** Invite links of rooms: stored by the hash of their code, counted atomically. */
export interface InviteLinkStore {
  createInviteLink(link: NewInviteLink): Promise<void>;
  findInviteLink(id: string): Promise<InviteLinkRecord | undefined>;
  findInviteLinkByCode(codeHash: string): Promise<InviteLinkRecord | undefined>;
  /**
   * The room's links still usable at `now` (not revoked, not expired, not
   * used up), oldest first; only those `createdBy` made, when given.
   */
  listInviteLinks(room: string, now: string, createdBy?: string): Promise<InviteLinkRecord[]>;
  /** Marks the link revoked (once: the first time stays); false if there is no such link. */
  revokeInviteLink(id: string, at: string): Promise<boolean>;
  /**
   * Makes the user a member of the link's room and takes one use, in one
   * transaction: of concurrent redemptions of a link with n uses left, at
   * most n succeed. A user already a member takes no use ('member').
   */
  redeemInviteLink(codeHash: string, userId: string, now: string): Promise<LinkRedemption>;
}
