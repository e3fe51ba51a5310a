import { z } from 'zod';
import { type FileRef, Message, User, Visibility } from './entities.ts';
import { ErrorCode } from './errors.ts';
import { limits } from './limits.ts';
import { RoomName } from './names.ts';
import { MessageText, storableText } from './text.ts';

/** Version of this wire contract. */
export const PROTOCOL_VERSION = 1;

// Storable like text: two different lone surrogates would both be stored as
// U+FFFD, and the second send would be taken for a resend of the first.
export const ClientId = storableText(1, limits.maxClientIdChars);
/** Echoed back untouched in the ack; clients send a date string or epoch ms. */
export const ClientDate = z.union([z.string().max(64), z.number().finite()]);

// ---- client to server ----

export const JoinFrame = z.object({ type: z.literal('join'), room: RoomName, visibility: Visibility.optional() });
export const LeaveFrame = z.object({ type: z.literal('leave'), room: RoomName });
export const SendFrame = z.object({
  type: z.literal('send'),
  room: RoomName,
  clientId: ClientId,
  text: MessageText,
  clientDate: ClientDate.optional(),
});
export const LikeFrame = z.object({ type: z.literal('like'), room: RoomName, messageId: z.string().min(1).max(100) });
export const UnlikeFrame = z.object({
  type: z.literal('unlike'),
  room: RoomName,
  messageId: z.string().min(1).max(100),
});
export const TypingFrame = z.object({ type: z.literal('typing'), room: RoomName });

export const ClientFrame = z.discriminatedUnion('type', [
  JoinFrame,
  LeaveFrame,
  SendFrame,
  LikeFrame,
  UnlikeFrame,
  TypingFrame,
]);
export type ClientFrame = z.infer<typeof ClientFrame>;
export type JoinFrame = z.infer<typeof JoinFrame>;
export type SendFrame = z.infer<typeof SendFrame>;
export const clientFrameTypes = ClientFrame.options.map((o) => o.shape.type.value);

// ---- server to client ----

export const JoinedFrame = z.object({ type: z.literal('joined'), room: z.string(), lastSeq: z.number().int() });
/**
 * Extension: `reason: 'removed'` when an owner removed the user, `'left'` when
 * the user left the room for good (from this or another connection).
 */
export const LeftFrame = z.object({
  type: z.literal('left'),
  room: z.string(),
  reason: z.enum(['removed', 'left']).optional(),
});
export const AckFrame = z.object({
  type: z.literal('ack'),
  clientId: ClientId,
  clientDate: ClientDate.optional(),
  message: Message,
});
export const MessageFrame = z.object({ type: z.literal('message'), message: Message });
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
  LikesFrame,
  InvitedFrame,
  TypingBroadcastFrame,
  ErrorFrame,
  ReconnectFrame,
]);
export type ServerFrame = z.infer<typeof ServerFrame>;
export type AckFrame = z.infer<typeof AckFrame>;
export type ErrorFrame = z.infer<typeof ErrorFrame>;

export type { FileRef };
