import type { Message, User } from '@pockychat/protocol';
import { ChatError } from './chat-error.ts';
import type { Room } from './model.ts';

/** What ChatService asks of a room's moderation (chat/moderation.ts) before a join, a send or a delete. */
export interface ModerationGate {
  /** forbidden for a user banned from the room, public rooms included. */
  assertMayJoin(user: User, room: string): Promise<void>;
  /** Whether the user is banned from the room now (read from the database). */
  isBanned(user: User, room: string): Promise<boolean>;
  /** forbidden for a user muted in the room (send, edit, react) until the mute ends. */
  assertMaySpeak(user: User, room: string): Promise<void>;
  /** The room's owner, its moderators and the server's admins may delete anyone's message. */
  mayDeleteAny(user: User, room: Room): Promise<boolean>;
  /** Another's message was deleted by this user: the room's audit log says so. */
  deletedByModerator(user: User, room: string, message: Message): Promise<void>;
}

/** The refusal of a banned user's join, read or change. */
export function bannedFrom(room: string): ChatError {
  return new ChatError('forbidden', `you are banned from ${room}`);
}
