import { z } from 'zod';
import { limits } from './limits.ts';
import { RoomName } from './names.ts';
import { storableText } from './text.ts';

/**
 * Read markers (v2): a user's place in a room, kept per user and room and
 * only ever moved forward. Defined apart from frames.ts, which joins them
 * into its unions.
 */

/** A seq a client has read up to: 0 means nothing read. */
export const ReadSeq = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);

/** Client: the caller has read `room` up to `seq` (a lower seq than the marker changes nothing). */
export const ReadFrame = z.object({
  type: z.literal('read'),
  id: storableText(1, limits.maxRequestIdChars).optional(),
  room: RoomName,
  seq: ReadSeq,
});
export type ReadFrame = z.infer<typeof ReadFrame>;

/** Server: the caller's marker moved, from another of its connections (on any node). */
export const ReadMovedFrame = z.object({ type: z.literal('read'), room: z.string(), seq: ReadSeq });
export type ReadMovedFrame = z.infer<typeof ReadMovedFrame>;

/** What GET /rooms adds to each room the caller is a member of. */
export const UnreadCounts = z.object({
  /** The caller's marker: 0 if never read. */
  readSeq: ReadSeq,
  /** Messages after readSeq by others, deleted ones not counted. */
  unread: z.number().int().nonnegative(),
  /** Those of them that mention the caller. */
  mentions: z.number().int().nonnegative(),
  /**
   * Extension: the room's last seq as counted. Messages up to it are in the
   * counts; a client counts those after it itself, from `message` frames.
   */
  lastSeq: z.number().int().nonnegative(),
});
export type UnreadCounts = z.infer<typeof UnreadCounts>;
