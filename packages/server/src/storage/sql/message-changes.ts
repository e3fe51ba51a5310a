import type { Transaction } from 'kysely';
import type { ChangeResult, FileRecord, MessageChange } from '../../chat/model.ts';
import type { SqlOutbox } from '../outbox.ts';
import type { Database } from '../schema.ts';
import { selectMessages, withReactions } from './rows.ts';

/** Thrown to roll a change back that changed nothing (the rev it took goes back with it). */
export class NoChange extends Error {
  readonly result: Exclude<ChangeResult, { status: 'changed' }>;

  constructor(result: Exclude<ChangeResult, { status: 'changed' }>) {
    super('nothing changed');
    this.result = result;
  }
}

/**
 * One change of a message, inside its transaction. The room's next rev is
 * taken first: the UPDATE holds the room's row (SQLite: the database) until
 * commit, as an append's seq does, so the room's changes and messages commit
 * in rev order, and the message read next cannot change before this commit.
 * A change that changes nothing throws NoChange: the rev is given back.
 */
export async function applyChange(
  trx: Transaction<Database>,
  room: string,
  messageId: string,
  change: MessageChange,
  outbox: SqlOutbox | undefined,
): Promise<ChangeResult> {
  const taken = await trx
    .updateTable('rooms')
    .set((eb) => ({ last_rev: eb('last_rev', '+', 1) }))
    .where('name', '=', room)
    .returning('last_rev')
    .executeTakeFirst();
  const row = await trx
    .selectFrom('messages')
    .select(['id', 'deleted'])
    .where('room', '=', room)
    .where('id', '=', messageId)
    .executeTakeFirst();
  if (!taken || !row || row.deleted) throw new NoChange({ status: 'gone' });
  const rev = taken.last_rev;
  let removedFile: FileRecord | undefined;
  switch (change.kind) {
    case 'edit':
      await trx
        .updateTable('messages')
        .set({ text: change.text, edited_at: change.editedAt, rev })
        .where('id', '=', messageId)
        .execute();
      break;
    case 'delete':
      removedFile = await deleteMessage(trx, room, messageId, rev);
      break;
    case 'react':
      if (!(await react(trx, messageId, change)))
        throw new NoChange({ status: 'unchanged', message: await read(trx, room, messageId) });
      await trx.updateTable('messages').set({ rev }).where('id', '=', messageId).execute();
      break;
  }
  if (outbox) await outbox.write(trx, [{ id: messageId, room, rev }]);
  const message = await read(trx, room, messageId);
  return removedFile ? { status: 'changed', message, removedFile } : { status: 'changed', message };
}

/** The tombstone: text, file, reactions, mentions and reply go; seq stays. Returns the file it shared, if any. */
async function deleteMessage(
  trx: Transaction<Database>,
  room: string,
  messageId: string,
  rev: number,
): Promise<FileRecord | undefined> {
  const file = await trx.selectFrom('files').selectAll().where('message_id', '=', messageId).executeTakeFirst();
  const before = await read(trx, room, messageId);
  await trx.deleteFrom('files').where('message_id', '=', messageId).execute();
  await trx.deleteFrom('reactions').where('message_id', '=', messageId).execute();
  await trx
    .updateTable('messages')
    .set({ text: '', file: null, deleted: 1, mentions: null, reply_to: null, rev })
    .where('id', '=', messageId)
    .execute();
  if (!file || !before.file) return undefined;
  return {
    ref: before.file,
    room: file.room,
    messageId,
    blobKey: file.blob_key,
    sha256: file.sha256,
    inline: file.inline === 1,
  };
}

/** Adds or removes one reaction; true if that changed anything. */
async function react(
  trx: Transaction<Database>,
  messageId: string,
  change: Extract<MessageChange, { kind: 'react' }>,
): Promise<boolean> {
  const key = { message_id: messageId, user_id: change.userId, emoji: change.emoji };
  if (change.on) {
    const result = await trx
      .insertInto('reactions')
      .values(key)
      .onConflict((oc) => oc.columns(['message_id', 'user_id', 'emoji']).doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
  }
  const result = await trx
    .deleteFrom('reactions')
    .where('message_id', '=', messageId)
    .where('user_id', '=', change.userId)
    .where('emoji', '=', change.emoji)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

async function read(trx: Transaction<Database>, room: string, messageId: string) {
  const row = await selectMessages(trx)
    .where('messages.room', '=', room)
    .where('messages.id', '=', messageId)
    .executeTakeFirstOrThrow();
  const [message] = await withReactions(trx, [row]);
  return message as NonNullable<typeof message>;
}
