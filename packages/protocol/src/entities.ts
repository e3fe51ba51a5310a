import { z } from 'zod';

export const UserKind = z.enum(['guest', 'email', 'facebook']);
export type UserKind = z.infer<typeof UserKind>;

export const User = z.object({
  id: z.string(),
  name: z.string(),
  kind: UserKind,
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

export const Message = z.object({
  id: z.string(),
  room: z.string(),
  seq: z.number().int().positive(),
  author: User,
  text: z.string(),
  date: z.string(),
  likes: z.array(z.string()),
  file: FileRef.optional(),
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
});
export type RoomSummary = z.infer<typeof RoomSummary>;
