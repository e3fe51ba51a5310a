import { sql, type Transaction } from 'kysely';
import type { Database } from './schema.ts';

/**
 * A guest merged into an account: its browsers' subscriptions follow it,
 * and its notification settings too, where the account has none of its own.
 */
export async function mergePushRows(trx: Transaction<Database>, from: string, into: string): Promise<void> {
  await trx.updateTable('push_subscriptions').set({ user_id: into }).where('user_id', '=', from).execute();
  await sql`insert into notification_levels (user_id, room, level)
            select ${into}, room, level from notification_levels where user_id = ${from}
            on conflict (user_id, room) do nothing`.execute(trx);
  await trx.deleteFrom('notification_levels').where('user_id', '=', from).execute();
  await sql`insert into notification_prefs (user_id, preview)
            select ${into}, preview from notification_prefs where user_id = ${from}
            on conflict (user_id) do nothing`.execute(trx);
  await trx.deleteFrom('notification_prefs').where('user_id', '=', from).execute();
}
