import type { Transaction } from 'kysely';
import type { NewMessage } from '../../chat/model.ts';
import type { Database } from '../schema.ts';

/**
 * The message_mentions rows of messages being appended, written in their
 * transaction (migration 0004): GET /rooms counts unread mentions from them.
 * Costs nothing for a batch without mentions.
 */
export async function writeMentions(
  trx: Transaction<Database>,
  messages: ReadonlyArray<{ input: NewMessage; seq: number }>,
): Promise<void> {
  const rows = messages.flatMap(({ input, seq }) =>
    [...new Set(input.mentions ?? [])].map((userId) => ({
      message_id: input.id,
      room: input.room,
      seq,
      user_id: userId,
    })),
  );
  // 1,000 rows of 4 stay well under PostgreSQL's 65,535 parameters.
  for (let i = 0; i < rows.length; i += 1000)
    await trx
      .insertInto('message_mentions')
      .values(rows.slice(i, i + 1000))
      .execute();
}
