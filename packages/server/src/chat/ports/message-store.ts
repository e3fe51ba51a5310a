import type { Message } from '@pockychat/protocol';
import type { AppendResult, FileRecord, HistoryRange, LikeResult, NewMessage, StoredMessage } from '../model.ts';

/** Messages, their likes and the files they share. */
export interface MessageStore {
  /**
   * Stores a message with the room's next seq, atomically: seq is gap-free
   * and a resent (author, clientId) returns the first message unchanged.
   * Resolves only once the message is durably committed.
   */
  appendMessage(input: NewMessage): Promise<AppendResult>;
  /** The message an author already sent with this clientId, if any. */
  findSent(authorId: string, clientId: string): Promise<StoredMessage | undefined>;
  history(room: string, range: HistoryRange): Promise<Message[]>;
  findMessage(room: string, id: string): Promise<Message | undefined>;

  findFile(id: string): Promise<FileRecord | undefined>;

  /** Adds or removes a like; idempotent. */
  setLike(messageId: string, userId: string, liked: boolean): Promise<LikeResult>;
}
