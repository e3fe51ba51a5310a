import type { Generated } from 'kysely';

/** The tables as Kysely sees them; shared by every SQL store. */

export interface UsersTable {
  id: string;
  name: string;
  kind: string;
  created_at: string;
  email: string | null;
  password_hash: string | null;
  facebook_id: string | null;
  /** 0/1: one of the server's admins (0007-team). */
  admin: Generated<number>;
  deactivated_at: string | null;
}

export interface TokensTable {
  token_hash: string;
  user_id: string;
  created_at: string;
}

export interface RoomsTable {
  name: string;
  visibility: string;
  owner_id: string | null;
  last_seq: number;
  /** The rev of the room's latest change; taken in the same UPDATE as seq. */
  last_rev: number;
  created_at: string;
}

export interface MembershipsTable {
  room: string;
  user_id: string;
  role: string;
  joined_at: string;
}

export interface MessagesTable {
  id: string;
  room: string;
  seq: number;
  author_id: string;
  text: string;
  date: string;
  client_id: string;
  /** JSON of the client's clientDate, echoed in a resent ack. */
  client_date: string | null;
  file: string | null;
  row_id: Generated<number>;
  /** The room's rev of this message's latest change. */
  rev: number;
  edited_at: string | null;
  /** 0/1: a tombstone (text '', no file, no reactions). */
  deleted: number;
  /** JSON of the ReplyRef, as the parent was when replied to. */
  reply_to: string | null;
  /** JSON array of user ids, or null for none. */
  mentions: string | null;
}

/** One user's reaction with one emoji (a v1 like is the emoji ❤️). */
export interface ReactionsTable {
  message_id: string;
  user_id: string;
  emoji: string;
}

export interface InvitesTable {
  id: Generated<number>;
  room: string;
  user_id: string | null;
  email: string | null;
  facebook_id: string | null;
  invited_by: string;
  created_at: string;
}

export interface FilesTable {
  id: string;
  room: string;
  message_id: string;
  blob_key: string;
  name: string;
  type: string;
  size: number;
  sha256: string;
  inline: number;
  created_at: string;
}

/**
 * A commit's messages, or a delivery taking a permission away (migration
 * 0011), not yet known to be on Redis (several nodes only): storage/outbox.ts.
 */
export interface OutboxTable {
  /** The id of the commit's first message, or of the delivery. */
  id: string;
  /** JSON: [messageId, room] for each message of the commit; `[]` for a delivery. */
  messages: string;
  /** Milliseconds since the epoch after which any node's sweeper may publish it. */
  due_at: number;
  /** JSON: the delivery itself (an OutboxDelivery), published as it is; null for messages. */
  delivery: string | null;
}

/** How far a user has read a room (migration 0004): only ever moved forward. */
export interface ReadMarkersTable {
  user_id: string;
  room: string;
  seq: number;
}

/** One user mentioned by one message, kept with the message's room and seq: unread mentions are counted from it. */
export interface MessageMentionsTable {
  message_id: string;
  room: string;
  seq: number;
  user_id: string;
}

/** One browser's push subscription (the endpoint is a capability: kept like a token). */
export interface PushSubscriptionsTable {
  endpoint: string;
  user_id: string;
  p256dh: string;
  auth: string;
  created_at: string;
}

/** A level a user set for a room: 'all', 'mentions' or 'mute'. */
export interface NotificationLevelsTable {
  user_id: string;
  room: string;
  level: string;
}

export interface NotificationPrefsTable {
  user_id: string;
  /** 0/1: pushes carry the message text. */
  preview: number;
}

/** One row (id 1): messages with row_id below next_below are still to be indexed for search. */
export interface SearchIndexTable {
  id: number;
  next_below: number;
}

/**
 * SQLite only, one row (id 1): messages with row_id from from_row on are not
 * in the search index yet (searches scan them; the live indexer moves on).
 */
export interface SearchPendingTable {
  id: number;
  from_row: number;
}

/** A room's invite link; the code itself is never stored. */
export interface InviteLinksTable {
  id: string;
  /** SHA-256 of the code, hex. */
  code_hash: string;
  room: string;
  created_by: string;
  created_at: string;
  expires_at: string | null;
  max_uses: number | null;
  uses: Generated<number>;
  revoked_at: string | null;
}

/** A group direct-message room (gdm:<id>). */
export interface GroupDmsTable {
  room: string;
  /** The participants' ids sorted, joined by commas: one room per set of people. */
  participant_key: string | null;
  created_at: string;
}

export interface GroupDmParticipantsTable {
  room: string;
  user_id: string;
}

/** The first-admin claim: one row (slot 1) at most. */
export interface FirstAdminTable {
  slot: number;
  user_id: string;
}

export interface BansTable {
  room: string;
  user_id: string;
  banned_by: string;
  at: string;
}

export interface MutesTable {
  room: string;
  user_id: string;
  muted_by: string;
  /** ISO-8601: the mute ends then. */
  until: string;
}

export interface AuditLogTable {
  /** Time-ordered (chat/ids.ts timeOrderedId): pages go by it. */
  id: string;
  room: string;
  at: string;
  actor_id: string;
  action: string;
  target_user_id: string | null;
  message_id: string | null;
  detail: string | null;
}

/** Password reset tokens: the SHA-256 of the token, one-time, until expires_at. */
export interface PasswordResetsTable {
  token_hash: string;
  user_id: string;
  created_at: string;
  expires_at: string;
}

/** OpenID Connect sign-ins: the provider's (issuer, subject) for a user. */
export interface IdentitiesTable {
  issuer: string;
  subject: string;
  user_id: string;
  created_at: string;
}

export interface Database {
  read_markers: ReadMarkersTable;
  message_mentions: MessageMentionsTable;
  push_subscriptions: PushSubscriptionsTable;
  notification_levels: NotificationLevelsTable;
  notification_prefs: NotificationPrefsTable;
  search_index: SearchIndexTable;
  search_pending: SearchPendingTable;
  invite_links: InviteLinksTable;
  group_dms: GroupDmsTable;
  group_dm_participants: GroupDmParticipantsTable;
  first_admin: FirstAdminTable;
  bans: BansTable;
  mutes: MutesTable;
  audit_log: AuditLogTable;
  password_resets: PasswordResetsTable;
  identities: IdentitiesTable;
  outbox: OutboxTable;
  files: FilesTable;
  invites: InvitesTable;
  users: UsersTable;
  tokens: TokensTable;
  rooms: RoomsTable;
  memberships: MembershipsTable;
  messages: MessagesTable;
  reactions: ReactionsTable;
}
