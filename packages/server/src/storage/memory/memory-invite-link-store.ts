import { linkRefusal } from '../../chat/link-rules.ts';
import type { InviteLinkRecord, LinkBounds, LinkRedemption, NewInviteLink } from '../../chat/model.ts';
import type { InviteLinkStore } from '../../chat/ports/invite-link-store.ts';
import { toUser, type InviteLinkRow, type MembershipRow, type MemoryTables } from './tables.ts';

/** Invite links in memory: each call runs to its end before another starts, so redemption is atomic. */
export class MemoryInviteLinkStore implements InviteLinkStore {
  readonly #t: MemoryTables;

  constructor(tables: MemoryTables) {
    this.#t = tables;
  }

  async createInviteLink(link: NewInviteLink, bounds: LinkBounds): Promise<'created' | 'full'> {
    this.#t.roomRow(link.room);
    this.#t.userRow(link.createdBy);
    if (this.#t.inviteLinks.has(link.id) || this.#byCode(link.codeHash)) throw new Error('invite link exists');
    const rows = [...this.#t.inviteLinks.values()].filter((row) => row.room === link.room);
    const dead = (row: InviteLinkRow) => linkRefusal(this.#record(row), link.createdAt) !== undefined;
    if (rows.filter((row) => !dead(row)).length >= bounds.usable) return 'full';
    const lastMadeFirst = rows.filter(dead).sort((a, b) => compare(b.createdAt, a.createdAt) || compare(b.id, a.id));
    for (const row of lastMadeFirst.slice(bounds.dead)) this.#t.inviteLinks.delete(row.id);
    this.#t.inviteLinks.set(link.id, {
      id: link.id,
      codeHash: link.codeHash,
      room: link.room,
      createdBy: link.createdBy,
      createdAt: link.createdAt,
      expiresAt: link.expiresAt,
      maxUses: link.maxUses,
      uses: 0,
      revokedAt: undefined,
    });
    return 'created';
  }

  async findInviteLink(id: string): Promise<InviteLinkRecord | undefined> {
    const row = this.#t.inviteLinks.get(id);
    return row && this.#record(row);
  }

  async findInviteLinkByCode(codeHash: string): Promise<InviteLinkRecord | undefined> {
    const row = this.#byCode(codeHash);
    return row && this.#record(row);
  }

  async listInviteLinks(room: string, now: string, createdBy?: string): Promise<InviteLinkRecord[]> {
    return [...this.#t.inviteLinks.values()]
      .filter((row) => row.room === room && (createdBy === undefined || row.createdBy === createdBy))
      .map((row) => this.#record(row))
      .filter((link) => linkRefusal(link, now) === undefined)
      .sort((a, b) => compare(a.createdAt, b.createdAt) || compare(a.id, b.id));
  }

  async revokeInviteLink(id: string, at: string): Promise<boolean> {
    const row = this.#t.inviteLinks.get(id);
    if (row && row.revokedAt === undefined) row.revokedAt = at;
    return row !== undefined;
  }

  async redeemInviteLink(codeHash: string, userId: string, now: string): Promise<LinkRedemption> {
    const row = this.#byCode(codeHash);
    if (!row) return { status: 'unknown' };
    this.#t.userRow(userId);
    let members = this.#t.memberships.get(row.room);
    if (members?.has(userId)) return { status: 'member', room: row.room };
    const refusal = linkRefusal(this.#record(row), now);
    if (refusal) return { status: refusal, room: row.room };
    row.uses += 1;
    if (!members) this.#t.memberships.set(row.room, (members = new Map<string, MembershipRow>()));
    members.set(userId, { role: 'member', joinedAt: now });
    return { status: 'joined', room: row.room };
  }

  #byCode(codeHash: string): InviteLinkRow | undefined {
    for (const row of this.#t.inviteLinks.values()) if (row.codeHash === codeHash) return row;
    return undefined;
  }

  #record(row: InviteLinkRow): InviteLinkRecord {
    return {
      id: row.id,
      room: row.room,
      createdBy: toUser(this.#t.userRow(row.createdBy)),
      createdAt: row.createdAt,
      ...(row.expiresAt !== undefined && { expiresAt: row.expiresAt }),
      ...(row.maxUses !== undefined && { maxUses: row.maxUses }),
      uses: row.uses,
      ...(row.revokedAt !== undefined && { revokedAt: row.revokedAt }),
    };
  }
}

/** Code-unit order (SQLite's binary collation). */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
