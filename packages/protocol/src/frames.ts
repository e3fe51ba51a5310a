import { z } from 'zod';
import { type FileRef, Message, User, Visibility } from './entities.ts';
import { ErrorCode } from './errors.ts';
import { limits } from './limits.ts';
import { Emoji } from './emoji.ts';
import { ActivityFrame } from './activity.ts';
import { PresenceFrame } from './presence.ts';
import { RoleFrame } from './role-frames.ts';
import { RoomName, userIdPattern } from './names.ts';
import { MessageText, storableText } from './text.ts';
import { ReadFrame, ReadMovedFrame, ReadSeq } from './read-frames.ts';

/** Version of this wire contract: 2 adds request ids, revs, edits, deletes, replies, reactions and mentions. */
export const PROTOCOL_VERSION = 2;

// Storable like text: two different lone surrogates would both be stored as
// U+FFFD, and the second send would be taken for a resend of the first.
export const ClientId = storableText(1, limits.maxClientIdChars);
/** Echoed back untouched in the ack; clients send a date string or epoch ms. */
export const ClientDate = z.union([z.string().max(64), z.number().finite()]);

// ---- client to server ----

/** Any client frame may carry one; its direct answer (ack, joined, left, ok or error) echoes it. */
export const RequestId = storableText(1, limits.maxRequestIdChars);
const MessageId = z.string().min(1).max(100);
const requestId = { id: RequestId.optional() };

export const JoinFrame = z.object({
  type: z.literal('join'),
  ...requestId,
  room: RoomName,
  visibility: Visibility.optional(),
});
export const LeaveFrame = z.object({ type: z.literal('leave'), ...requestId, room: RoomName });
export const SendFrame = z.object({
  type: z.literal('send'),
  ...requestId,
  room: RoomName,
  clientId: ClientId,
  text: MessageText,
  clientDate: ClientDate.optional(),
  /** The message this one answers, in the same room. */
  replyTo: MessageId.optional(),
  /** User ids; those not members of the room are dropped. */
  mentions: z.array(z.string().regex(userIdPattern)).max(limits.maxMentions).optional(),
});
export const LikeFrame = z.object({ type: z.literal('like'), ...requestId, room: RoomName, messageId: MessageId });
export const UnlikeFrame = z.object({ type: z.literal('unlike'), ...requestId, room: RoomName, messageId: MessageId });
export const TypingFrame = z.object({ type: z.literal('typing'), ...requestId, room: RoomName });
export const EditFrame = z.object({
  type: z.literal('edit'),
  ...requestId,
  room: RoomName,
  messageId: MessageId,
  text: MessageText,
});
export const DeleteFrame = z.object({ type: z.literal('delete'), ...requestId, room: RoomName, messageId: MessageId });
export const ReactFrame = z.object({
  type: z.literal('react'),
  ...requestId,
  room: RoomName,
  messageId: MessageId,
  emoji: Emoji,
});
export const UnreactFrame = z.object({
  type: z.literal('unreact'),
  ...requestId,
  room: RoomName,
  messageId: MessageId,
  emoji: Emoji,
});

export const ClientFrame = z.discriminatedUnion('type', [
  JoinFrame,
  LeaveFrame,
  SendFrame,
  LikeFrame,
  UnlikeFrame,
  TypingFrame,
  EditFrame,
  DeleteFrame,
  ReactFrame,
  UnreactFrame,
  ReadFrame,
  ActivityFrame,
]);
export type ClientFrame = z.infer<typeof ClientFrame>;
export type JoinFrame = z.infer<typeof JoinFrame>;
export type SendFrame = z.infer<typeof SendFrame>;
export type EditFrame = z.infer<typeof EditFrame>;
export type DeleteFrame = z.infer<typeof DeleteFrame>;
export type ReactFrame = z.infer<typeof ReactFrame>;
export const clientFrameTypes = ClientFrame.options.map((o) => o.shape.type.value);

// ---- server to client ----

export const JoinedFrame = z.object({
  type: z.literal('joined'),
  id: RequestId.optional(),
  room: z.string(),
  lastSeq: z.number().int(),
  /** The room's latest rev: history?changedSince=lastRev from here on misses nothing. */
  lastRev: z.number().int(),
  /** The caller's read marker in the room (0 if never read); sent on every join (read-frames.ts). */
  readSeq: ReadSeq.optional(),
});
/**
 * Extension: `reason: 'removed'` when an owner removed the user, `'left'` when
 * the user left the room for good (from this or another connection),
 * `'banned'` when a moderator banned the user from it.
 */
export const LeftFrame = z.object({
  type: z.literal('left'),
  id: RequestId.optional(),
  room: z.string(),
  reason: z.enum(['removed', 'left', 'banned']).optional(),
});
export const AckFrame = z.object({
  type: z.literal('ack'),
  id: RequestId.optional(),
  clientId: ClientId,
  clientDate: ClientDate.optional(),
  message: Message,
});
export const MessageFrame = z.object({ type: z.literal('message'), message: Message });
/** Any stored change of a message but its creation: the whole message, with its new rev. */
export const UpdatedFrame = z.object({ type: z.literal('updated'), message: Message });
/** The answer to a frame with an id that has no other answer, once it has taken effect. */
export const OkFrame = z.object({ type: z.literal('ok'), id: RequestId });
export const LikesFrame = z.object({
  type: z.literal('likes'),
  room: z.string(),
  messageId: z.string(),
  likes: z.array(z.string()),
});
export const InvitedFrame = z.object({ type: z.literal('invited'), room: z.string(), by: User });
export const TypingBroadcastFrame = z.object({ type: z.literal('typing'), room: z.string(), user: User });
export const ErrorFrame = z.object({
  type: z.literal('error'),
  id: RequestId.optional(),
  code: ErrorCode,
  message: z.string(),
  ref: z.string().optional(),
});
/** Extension: the server is going away (shutdown); reconnect, to another node if there is one. */
export const ReconnectFrame = z.object({ type: z.literal('reconnect'), reason: z.string() });

export const ServerFrame = z.discriminatedUnion('type', [
  JoinedFrame,
  LeftFrame,
  AckFrame,
  MessageFrame,
  UpdatedFrame,
  OkFrame,
  LikesFrame,
  InvitedFrame,
  TypingBroadcastFrame,
  ErrorFrame,
  ReconnectFrame,
  ReadMovedFrame,
  PresenceFrame,
  RoleFrame,
]);
export type ServerFrame = z.infer<typeof ServerFrame>;
export type AckFrame = z.infer<typeof AckFrame>;
export type ErrorFrame = z.infer<typeof ErrorFrame>;
export type JoinedFrame = z.infer<typeof JoinedFrame>;
export type UpdatedFrame = z.infer<typeof UpdatedFrame>;

export type { FileRef };
