import type { InviteLinkRecord, LinkRefusalReason } from './model.ts';

/** Rules the domain and every store share, so that they cannot drift. */

/** Why the link refuses a join at `now`, or undefined if it lets one in. */
export function linkRefusal(link: Omit<InviteLinkRecord, 'createdBy'>, now: string): LinkRefusalReason | undefined {
  if (link.revokedAt !== undefined) return 'revoked';
  if (link.expiresAt !== undefined && link.expiresAt <= now) return 'expired';
  if (link.maxUses !== undefined && link.uses >= link.maxUses) return 'used_up';
  return undefined;
}

/** The key that makes a group DM unique by its set of people: the ids sorted, joined by commas. */
export function participantKey(ids: readonly string[]): string {
  return [...new Set(ids)].sort().join(',');
}
