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

/** A commit's messages not yet known to be on Redis (several nodes only): storage/outbox.ts. */
export interface OutboxTable {
  /** The id of the commit's first message. */
  id: string;
  /** JSON: [messageId, room] for each message of the commit. */
  messages: string;
  /** Milliseconds since the epoch after which any node's sweeper may publish it. */
  due_at: number;
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
