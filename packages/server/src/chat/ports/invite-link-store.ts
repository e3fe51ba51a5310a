import type { InviteLinkRecord, LinkBounds, LinkRedemption, NewInviteLink } from '../model.ts';

/** Invite links of rooms: stored by the hash of their code, counted atomically. */
export interface InviteLinkStore {
  /**
   * In one transaction, that concurrent creations (several nodes too) cannot
   * both pass the bound: refuses the link ('full', nothing stored) if its
   * room holds `bounds.usable` links usable at `link.createdAt`; else deletes
   * the room's links dead at that instant but the `bounds.dead` made last,
   * and stores it. Only a creation adds a row, so a room never holds more
   * than `usable + dead` links.
   */
  createInviteLink(link: NewInviteLink, bounds: LinkBounds): Promise<'created' | 'full'>;
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
