import type { Kysely } from 'kysely';
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
import { appendOne, BatchAppend, ResentInBatch } from '../append.ts';
import { GroupCommit } from '../group-commit.ts';
import type { Database } from '../schema.ts';
import type { SqlDialectOps } from './dialect-ops.ts';
import type { SqlOutbox } from '../outbox.ts';
import { HistoryQueries } from './history-queries.ts';
import { applyChange, NoChange } from './message-changes.ts';
import { parseClientDate, selectMessages, withReactions, type Db } from './rows.ts';

/**
 * Messages, reactions and files over Kysely. Seq stays gap-free because
 * `UPDATE rooms SET last_seq = last_seq + 1 … RETURNING` holds the room's
 * row (SQLite: the database) until commit, so two writers of a room, on one
 * node or several, take turns and a rolled-back one gives its number back.
 */
export class SqlMessageStore implements MessageStore {
  readonly #db: Kysely<Database>;
  readonly #appends: GroupCommit<NewMessage, AppendResult>;
  readonly #history: HistoryQueries;
  readonly #batchAppend: BatchAppend;
  readonly #outbox: SqlOutbox | undefined;

  constructor(db: Kysely<Database>, ops: SqlDialectOps) {
    this.#db = db;
    this.#outbox = ops.outbox;
    this.#history = new HistoryQueries(db);
    this.#batchAppend = new BatchAppend(db, ops.lockRooms, ops.outbox);
    this.#appends = new GroupCommit(
      (inputs) => this.#appendBatch(inputs),
      (input) => this.#db.transaction().execute((trx) => appendOne(trx, input, this.#findSent, ops.outbox)),
    );
  }

  appendMessage(input: NewMessage): Promise<AppendResult> {
    return this.#appends.submit(input);
  }

  /** Resolves once every append submitted so far is committed or failed. */
  idle(): Promise<void> {
    return this.#appends.idle();
  }

  /**
   * A group commit's batch in one transaction: the fast path (appendAll),
   * or, when the batch holds a resent clientId, each message exactly in turn.
   */
  async #appendBatch(inputs: NewMessage[]): Promise<AppendResult[]> {
    try {
      return await this.#db.transaction().execute((trx) => this.#batchAppend.run(trx, inputs));
    } catch (err) {
      if (!(err instanceof ResentInBatch)) throw err;
    }
    return this.#db.transaction().execute(async (trx) => {
      const results: AppendResult[] = [];
      for (const input of inputs) results.push(await appendOne(trx, input, this.#findSent, this.#outbox));
      return results;
    });
  }

  async findSent(authorId: string, clientId: string): Promise<StoredMessage | undefined> {
    return this.#findSent(this.#db, authorId, clientId);
  }

  // A field, not a method: appendOne is handed it as a callback.
  readonly #findSent = async (db: Db, authorId: string, clientId: string): Promise<StoredMessage | undefined> => {
    const row = await selectMessages(db)
      .where('messages.author_id', '=', authorId)
      .where('messages.client_id', '=', clientId)
      .executeTakeFirst();
    if (!row) return undefined;
    const [message] = await withReactions(db, [row]);
    return { message: message as Message, clientId: row.client_id, clientDate: parseClientDate(row.client_date) };
  };

  /** A page of a room's messages, from queries compiled once (HistoryQueries). */
  async history(room: string, range: HistoryRange): Promise<Message[]> {
    return this.#history.page(room, range);
  }

  async findMessage(room: string, id: string): Promise<Message | undefined> {
    const row = await selectMessages(this.#db)
      .where('messages.room', '=', room)
      .where('messages.id', '=', id)
      .executeTakeFirst();
    if (!row) return undefined;
    const [message] = await withReactions(this.#db, [row]);
    return message;
  }

  async findFile(id: string): Promise<FileRecord | undefined> {
    const row = await this.#db.selectFrom('files').selectAll().where('id', '=', id).executeTakeFirst();
    const message = row && (await this.findMessage(row.room, row.message_id));
    if (!row || !message?.file) return undefined;
    return {
      ref: message.file,
      room: row.room,
      messageId: row.message_id,
      blobKey: row.blob_key,
      sha256: row.sha256,
      inline: row.inline === 1,
    };
  }

  async changeMessage(room: string, messageId: string, change: MessageChange): Promise<ChangeResult> {
    try {
      return await this.#db.transaction().execute((trx) => applyChange(trx, room, messageId, change, this.#outbox));
    } catch (err) {
      if (err instanceof NoChange) return err.result;
      throw err;
    }
  }
}
