import { z } from 'zod';

/** 'oidc': signed in with an OpenID Connect provider (an extension of v1's three). */
export const UserKind = z.enum(['guest', 'email', 'facebook', 'oidc']);
export type UserKind = z.infer<typeof UserKind>;

export const User = z.object({
  id: z.string(),
  name: z.string(),
  kind: UserKind,
  /** Extension: present (true) for the server's admins only (docs/protocol.md, "Running a team"). */
  admin: z.literal(true).optional(),
});
export type User = z.infer<typeof User>;

export const FileRef = z.object({
  id: z.string(),
  name: z.string(),
  type: z.string(),
  size: z.number().int().nonnegative(),
  url: z.string(),
  width: z.number().int().positive().optional(),
  height: z.number().int().positive().optional(),
});
export type FileRef = z.infer<typeof FileRef>;

/** The message a reply answers, as it was when replied to. */
export const ReplyRef = z.object({
  id: z.string(),
  seq: z.number().int().positive(),
  author: User,
  /** The parent's first characters (limits.replyQuoteChars). */
  text: z.string(),
});
export type ReplyRef = z.infer<typeof ReplyRef>;

export const Message = z.object({
  id: z.string(),
  room: z.string(),
  seq: z.number().int().positive(),
  /** The room's rev of this message's latest change (its creation, an edit, a delete, a reaction). */
  rev: z.number().int().positive(),
  author: User,
  text: z.string(),
  date: z.string(),
  /** Equals reactions['❤️'] (or []): the v1 view of reactions. */
  likes: z.array(z.string()),
  file: FileRef.optional(),
  editedAt: z.string().optional(),
  /** A tombstone: text empty, no file, no reactions; seq kept. */
  deleted: z.literal(true).optional(),
  replyTo: ReplyRef.optional(),
  /** Ids of the room's members the message mentions. */
  mentions: z.array(z.string()),
  /** Who reacted with each emoji; an emoji nobody has left is absent. */
  reactions: z.record(z.string(), z.array(z.string())),
});
export type Message = z.infer<typeof Message>;

export const Visibility = z.enum(['public', 'private']);
export type Visibility = z.infer<typeof Visibility>;

export const RoomSummary = z.object({
  name: z.string(),
  visibility: Visibility,
  members: z.number().int().nonnegative(),
  /** Extension: whether the caller is a member (a public room is listed either way). */
  member: z.boolean().optional(),
  /** Read markers (read-frames.ts' UnreadCounts), for the rooms the caller is a member of. */
  readSeq: z.number().int().nonnegative().optional(),
  unread: z.number().int().nonnegative().optional(),
  mentions: z.number().int().nonnegative().optional(),
  lastSeq: z.number().int().nonnegative().optional(),
});
export type RoomSummary = z.infer<typeof RoomSummary>;
