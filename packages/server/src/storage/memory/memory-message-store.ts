import type { Message } from '@pockychat/protocol';
import type {
  AppendResult,
  ChangeResult,
  FileRecord,
  HistoryRange,
  MessageChange,
  NewMessage,
  StoredMessage,
} from '../../chat/model.ts';
import type { MessageStore } from '../../chat/ports/message-store.ts';
import { sentKey, type MemoryTables, type MessageRow } from './tables.ts';

/** Messages, reactions and files in memory. One process, one thread: each append is atomic as it stands. */
export class MemoryMessageStore implements MessageStore {
  readonly #t: MemoryTables;

  constructor(tables: MemoryTables) {
    this.#t = tables;
  }

  async appendMessage(input: NewMessage): Promise<AppendResult> {
    const room = this.#t.roomRow(input.room);
    const first = this.#t.sent.get(sentKey(input.author.id, input.clientId));
    if (first !== undefined) return { ...this.#stored(this.#row(first)), duplicate: true };
    this.#t.userRow(input.author.id);
    if (this.#t.messages.has(input.id)) throw new Error(`message ${input.id} exists`);
    if (input.file && this.#t.files.has(input.file.ref.id)) throw new Error(`file ${input.file.ref.id} exists`);
    const row: MessageRow = {
      id: input.id,
      room: input.room,
      seq: ++room.lastSeq,
      rev: ++room.lastRev,
      authorId: input.author.id,
      text: input.text,
      date: input.date,
      clientId: input.clientId,
      clientDate: input.clientDate,
      file: input.file && { ...input.file.ref },
      editedAt: undefined,
      deleted: false,
      replyTo: input.replyTo && { ...input.replyTo, author: { ...input.replyTo.author } },
      mentions: [...(input.mentions ?? [])],
    };
    this.#insert(row);
    if (input.file)
      this.#t.files.set(input.file.ref.id, {
        id: input.file.ref.id,
        room: input.room,
        messageId: input.id,
        ...input.file.blob,
      });
    // As the SQL stores answer: the author as the caller gave it, no reactions yet.
    const message: Message = { ...this.#t.message(row), author: { ...input.author } };
    return { message, clientId: input.clientId, clientDate: input.clientDate, duplicate: false };
  }

  async findSent(authorId: string, clientId: string): Promise<StoredMessage | undefined> {
    const id = this.#t.sent.get(sentKey(authorId, clientId));
    return id === undefined ? undefined : this.#stored(this.#row(id));
  }

  async history(room: string, range: HistoryRange): Promise<Message[]> {
    if (!Number.isSafeInteger(range.limit) || range.limit < 0)
      throw new Error(`history limit ${range.limit} is not a count`);
    const all = this.#t.roomMessages.get(room) ?? [];
    return pageOf(all, range).map((row) => this.#t.message(row));
  }

  async findMessage(room: string, id: string): Promise<Message | undefined> {
    const row = this.#t.messages.get(id);
    return row?.room === room ? this.#t.message(row) : undefined;
  }

  async findFile(id: string): Promise<FileRecord | undefined> {
    const row = this.#t.files.get(id);
    const message = row && (await this.findMessage(row.room, row.messageId));
    if (!row || !message?.file) return undefined;
    return {
      ref: message.file,
      room: row.room,
      messageId: row.messageId,
      blobKey: row.blobKey,
      sha256: row.sha256,
      inline: row.inline,
    };
  }

  async changeMessage(room: string, messageId: string, change: MessageChange): Promise<ChangeResult> {
    const row = this.#t.messages.get(messageId);
    const roomRow = this.#t.rooms.get(room);
    if (!row || !roomRow || row.room !== room || row.deleted) return { status: 'gone' };
    let removedFile: FileRecord | undefined;
    switch (change.kind) {
      case 'edit':
        row.text = change.text;
        row.editedAt = change.editedAt;
        break;
      case 'delete':
        removedFile = this.#tombstone(row);
        break;
      case 'react':
        if (!this.#react(row.id, change)) return { status: 'unchanged', message: this.#t.message(row) };
        break;
    }
    row.rev = ++roomRow.lastRev;
    const message = this.#t.message(row);
    return removedFile ? { status: 'changed', message, removedFile } : { status: 'changed', message };
  }

  /** Text, file, reactions, mentions and reply go; seq stays. Returns the file it shared, if any. */
  #tombstone(row: MessageRow): FileRecord | undefined {
    const fileRow = [...this.#t.files.values()].find((f) => f.messageId === row.id);
    const removed: FileRecord | undefined =
      fileRow && row.file
        ? {
            ref: { ...row.file },
            room: fileRow.room,
            messageId: row.id,
            blobKey: fileRow.blobKey,
            sha256: fileRow.sha256,
            inline: fileRow.inline,
          }
        : undefined;
    if (fileRow) this.#t.files.delete(fileRow.id);
    this.#t.reactions.delete(row.id);
    Object.assign(row, { text: '', file: undefined, deleted: true, mentions: [], replyTo: undefined });
    return removed;
  }

  #react(messageId: string, change: Extract<MessageChange, { kind: 'react' }>): boolean {
    let byEmoji = this.#t.reactions.get(messageId);
    if (change.on) {
      this.#t.userRow(change.userId);
      if (!byEmoji) this.#t.reactions.set(messageId, (byEmoji = new Map<string, Set<string>>()));
      let users = byEmoji.get(change.emoji);
      if (!users) byEmoji.set(change.emoji, (users = new Set()));
      if (users.has(change.userId)) return false;
      users.add(change.userId);
      return true;
    }
    const users = byEmoji?.get(change.emoji);
    if (!users?.delete(change.userId)) return false;
    if (users.size === 0) byEmoji?.delete(change.emoji);
    return true;
  }

  #insert(row: MessageRow): void {
    this.#t.messages.set(row.id, row);
    this.#t.sent.set(sentKey(row.authorId, row.clientId), row.id);
    let list = this.#t.roomMessages.get(row.room);
    if (!list) this.#t.roomMessages.set(row.room, (list = []));
    list.push(row);
  }

  #row(id: string): MessageRow {
    const row = this.#t.messages.get(id);
    if (!row) throw new Error(`no message ${id}`);
    return row;
  }

  #stored(row: MessageRow): StoredMessage {
    return { message: this.#t.message(row), clientId: row.clientId, clientDate: row.clientDate };
  }
}

/** The rows a range asks for, ascending; `all` holds seq n at index n - 1. */
function pageOf(all: MessageRow[], range: HistoryRange): MessageRow[] {
  const at = (index: number) => Math.min(Math.max(index, 0), all.length);
  switch (range.kind) {
    case 'since-seq': {
      const start = at(Math.floor(range.seq));
      return all.slice(start, start + range.limit);
    }
    case 'before-seq': {
      const end = at(Math.ceil(range.seq) - 1);
      return all.slice(at(end - range.limit), end);
    }
    case 'changed-since':
      return all
        .filter((row) => row.rev > range.rev)
        .sort((a, b) => a.rev - b.rev)
        .slice(0, range.limit);
    case 'since-date':
      return all
        .filter((row) => row.date > range.date)
        .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.seq - b.seq))
        .slice(0, range.limit);
  }
}
