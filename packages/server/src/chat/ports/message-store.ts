import type { Message } from '@pockychat/protocol';
import type {
  AppendResult,
  ChangeResult,
  FileRecord,
  HistoryRange,
  MessageChange,
  NewMessage,
  StoredMessage,
} from '../model.ts';

/** Messages, their reactions and the files they share. */
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

  /**
   * Applies one change to a message of the room, in one transaction that
   * takes the room's next rev (under the room's lock, like seq) and sets it
   * on the message: revs so commit in order. A change that changes nothing
   * takes no rev. A deleted message takes no change ('gone'). Resolves once
   * durably committed.
   */
  changeMessage(room: string, messageId: string, change: MessageChange): Promise<ChangeResult>;
}
